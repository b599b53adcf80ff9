import { describe, expect, it } from 'vitest';
import { createEntityMatcher } from '../../src/catalog/match-entities.js';
import { CandidateIndex } from '../../src/stories/candidate-index.js';
import { itemFeatures } from '../../src/stories/item-features.js';
import { similarity } from '../../src/stories/match-story.js';
import { addToProfile, startProfile } from '../../src/stories/story-profile.js';

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

describe('remembered story norms', () => {
  const matcher = createEntityMatcher();
  const features = (title: string, text: string) =>
    itemFeatures({ title, text, publishedAt: '2026-01-10T12:00:00Z' }, matcher.match(title, text));
  const idf = (t: string) => 1 + (t.length % 3);

  it('a story scored, then grown, scores as a story built with everything at once', () => {
    const first = features('Moonshot AI releases Kimi K2.6 for agentic coding', 'The model has 1 trillion parameters.');
    const second = features('Kimi K2.6 tops the coding leaderboard', 'Moonshot said K2.6 beats rivals on SWE-bench.');
    const probe = features('Moonshot’s Kimi K2.6: what is new', 'Kimi K2.6 has 1 trillion parameters and agents.');
    const grown = startProfile(1, first);
    const before = similarity(probe, grown, idf); // remembers the one-report story's norms
    addToProfile(grown, second);
    const fresh = startProfile(2, first);
    addToProfile(fresh, second);
    expect(similarity(probe, grown, idf)).toBe(similarity(probe, fresh, idf));
    expect(similarity(probe, grown, idf)).not.toBe(before);
  });
});
