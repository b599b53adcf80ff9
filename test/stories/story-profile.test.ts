import { describe, expect, it } from 'vitest';
import { indexTerms, type StoryProfile } from '../../src/stories/story-profile.js';

/** The reference: sort every term, heaviest first and ties by term, and take the first n (a small map as it is). */
function naiveTop(v: Map<string, number>, n: number): string[] {
  if (v.size <= n) return [...v.keys()];
  return [...v]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, n)
    .map(([k]) => k);
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function profile(anchors: Map<string, number>, words: Map<string, number>): StoryProfile {
  return {
    id: 1,
    firstAt: 0,
    lastAt: 0,
    anchors,
    words,
    subjects: new Map(),
    principal: new Map(),
    prospective: 0,
    items: 1,
  };
}

describe('a story profile in the clustering index', () => {
  it('indexes its heaviest anchors (up to half) and then its heaviest words, ties broken by term', () => {
    const r = random(7);
    for (let round = 0; round < 500; round++) {
      // Few distinct weights, so many ties; sizes on both sides of the 8 and 16 cut-offs.
      const anchors = new Map<string, number>();
      const words = new Map<string, number>();
      for (let i = Math.floor(r() * 30); i > 0; i--) anchors.set(`k:m${Math.floor(r() * 60)}`, Math.floor(r() * 4) / 2);
      for (let i = Math.floor(r() * 140); i > 0; i--) words.set(`w${Math.floor(r() * 300)}`, Math.floor(r() * 5));
      const a = naiveTop(anchors, 8);
      const expected = [...a, ...naiveTop(words, 16).slice(0, 16 - a.length)];
      expect(indexTerms(profile(anchors, words))).toEqual(expected);
    }
  });

  it('puts a heavy term last in the map ahead of lighter earlier ones', () => {
    const words = new Map<string, number>(
      Array.from({ length: 20 }, (_, i) => [`w${String(i).padStart(2, '0')}`, 1] as const),
    );
    words.set('zz-heavy', 9);
    const terms = indexTerms(profile(new Map(), words));
    expect(terms[0]).toBe('zz-heavy');
    expect(terms).toHaveLength(16);
    expect(terms.slice(1)).toEqual([...words.keys()].slice(0, 15));
  });
});
