import { describe, expect, it } from 'vitest';
import { CandidateIndex } from '../../src/stories/candidate-index.js';

/** The reference: a map of shared-term counts per story, stably sorted, most shared first. */
function naiveSharing(
  postings: Map<string, Set<number>>,
  common: (t: string) => boolean,
  terms: string[],
  limit: number,
) {
  const shared = new Map<number, number>();
  for (const t of terms) {
    const ids = postings.get(t);
    if (!ids || common(t)) continue;
    for (const id of ids) shared.set(id, (shared.get(id) ?? 0) + 1);
  }
  return [...shared]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([id]) => id);
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('candidate index', () => {
  it('ranks stories by shared terms, ties in the order they were met, as a sorted map of counts does', () => {
    const r = random(7);
    const vocabulary = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const pick = (n: number) => Array.from({ length: n }, () => vocabulary[Math.floor(r() ** 2 * 300)] as string);
    const index = new CandidateIndex();
    const postings = new Map<string, Set<number>>();
    const df = new Map<string, number>();
    let docs = 0;
    for (let story = 0; story < 400; story++) {
      const id = 1000 + ((story * 7919) % 4001); // ids out of order, as stories loaded most recent first are
      const terms = pick(5 + Math.floor(r() * 30));
      index.count(terms);
      index.index(id, terms);
      docs++;
      for (const t of terms) {
        df.set(t, (df.get(t) ?? 0) + 1);
        postings.set(t, (postings.get(t) ?? new Set()).add(id));
      }
    }
    const common = (t: string) => docs >= 50 && (df.get(t) ?? 0) > docs * 0.2;
    let compared = 0;
    for (let item = 0; item < 200; item++) {
      const terms = pick(1 + Math.floor(r() * 40));
      for (const limit of [1, 5, 30, 1000]) {
        expect(index.sharing(terms, limit)).toEqual(naiveSharing(postings, common, terms, limit));
        compared++;
      }
      expect(index.idf(terms[0] as string)).toBe(Math.log(1 + (docs + 1) / ((df.get(terms[0] as string) ?? 0) + 1)));
    }
    expect(compared).toBe(800);
    expect(vocabulary.some((t) => common(t))).toBe(true); // the common-term rule was exercised
  });

  it('forgets nothing between calls and re-ranks after a story gains terms', () => {
    const index = new CandidateIndex();
    index.index(1, ['a', 'b']);
    index.index(2, ['b', 'c']);
    expect(index.sharing(['b', 'c'], 30)).toEqual([2, 1]);
    expect(index.sharing(['a'], 30)).toEqual([1]);
    index.index(1, ['c', 'd']);
    expect(index.sharing(['b', 'c', 'd'], 30)).toEqual([1, 2]);
    expect(index.sharing(['x'], 30)).toEqual([]);
  });
});
