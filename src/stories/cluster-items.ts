import type { StoredItem } from '../store/item-repository.js';
import type { StoryCandidate, StoryRepository } from '../store/story-repository.js';
import { cosine, termVector } from './terms.js';

/** How far apart in time two reports of one event may be. @unit milliseconds */
export const STORY_WINDOW_MS = 3 * 86_400_000;
/** Similarity at which two reports are the same event on wording alone. */
export const SIMILAR = 0.42;
/** Similarity needed on top of a shared model-version key (other outlets, other languages). */
export const SIMILAR_WITH_KEY = 0.06;
const MAX_TERMS = 48;

/**
 * Model-version keys an item names, as `family@version` (e.g. `deepseek@v4`), in order of appearance:
 * the first, from the headline when it has one, is the item's subject.
 */
export type KeysOf = (item: { id: number; title: string; text: string }) => string[];

interface Working {
  id: number;
  vector: Map<string, number>;
  /** The story's subject: the first model version its first keyed report named (or none). */
  subject: string | undefined;
  lastItemAt: number;
  firstAt: number;
}

export interface ClusterResult {
  newStoryIds: number[];
  joinedStoryIds: number[];
  assignments: {
    itemId: number;
    storyId: number;
    reason: 'new' | 'url' | 'similar' | 'entity';
    score: number | null;
  }[];
}

function topTerms(v: Map<string, number>): [string, number][] {
  return [...v].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, MAX_TERMS);
}

/**
 * Assigns each new item to a story, in publication order: an item whose canonical URL is already in a
 * story joins it; otherwise it joins the most similar story of the last days (wording, or a shared
 * model-version key with some wording in common) unless their versions conflict; otherwise it starts a
 * story. Assignments are written once and never revisited.
 */
export function clusterItems(
  stories: StoryRepository,
  items: StoredItem[],
  options: { now: Date; keysOf?: KeysOf },
): ClusterResult {
  const result: ClusterResult = { newStoryIds: [], joinedStoryIds: [], assignments: [] };
  if (items.length === 0) return result;
  const sorted = [...items].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id - b.id);
  const earliest = Date.parse(sorted[0]?.publishedAt ?? options.now.toISOString()) - STORY_WINDOW_MS;
  const working = new Map<number, Working>();
  const postings = new Map<string, Set<number>>();
  const df = new Map<string, number>();
  let docs = 0;
  const addDoc = (v: Map<string, number>) => {
    docs++;
    for (const t of v.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  };
  const index = (w: Working) => {
    for (const t of w.vector.keys()) {
      const set = postings.get(t);
      if (set) set.add(w.id);
      else postings.set(t, new Set([w.id]));
    }
  };
  const load = (c: StoryCandidate): Working => ({
    id: c.id,
    vector: new Map(c.terms),
    subject: c.keys[0],
    lastItemAt: Date.parse(c.lastItemAt),
    firstAt: Date.parse(c.publishedAt),
  });
  const vectors = sorted.map((it) => termVector(it.title, it.text));
  // Only stories that share a heavy term with this batch can be joined: load those, not the whole window.
  const wanted = new Set<string>();
  for (const v of vectors) for (const [t] of topTerms(v).slice(0, 16)) wanted.add(t);
  for (const c of stories.candidatesSharing([...wanted], new Date(earliest))) {
    const w = load(c);
    working.set(w.id, w);
    addDoc(w.vector);
    index(w);
  }
  for (const v of vectors) addDoc(v);
  // Smoothed IDF: rare terms (names, versions) weigh most; terms in every document weigh little.
  const idf = (t: string) => Math.log(1 + (docs + 1) / ((df.get(t) ?? 0) + 1));

  sorted.forEach((item, i) => {
    const vector = vectors[i] as Map<string, number>;
    const subject = options.keysOf?.(item)[0];
    const at = Date.parse(item.publishedAt);
    const known = stories.storyOfItem(item.id);
    if (known !== undefined) return;
    const byUrl = item.canonicalUrl ? stories.storyWithUrl(item.canonicalUrl) : undefined;
    let target: { id: number; reason: 'url' | 'similar' | 'entity'; score: number | null } | undefined;
    if (byUrl !== undefined) target = { id: byUrl, reason: 'url', score: null };
    else {
      // Candidates: stories sharing one of this item's rarest terms (at most 30, most shared first).
      const rare = [...vector.keys()]
        .filter((t) => (df.get(t) ?? 0) >= 2 && !(docs >= 50 && (df.get(t) ?? 0) > docs * 0.2))
        .sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0))
        .slice(0, 12);
      const shared = new Map<number, number>();
      for (const t of rare) for (const id of postings.get(t) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
      const seen = [...shared.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 30)
        .map(([id]) => id);
      let best: { id: number; score: number; reason: 'similar' | 'entity' } | undefined;
      for (const id of seen) {
        const w = working.get(id);
        if (!w || at < w.firstAt - STORY_WINDOW_MS || at > w.lastItemAt + STORY_WINDOW_MS) continue;
        // Two reports about different model versions are different stories, however alike their words.
        if (subject && w.subject && subject !== w.subject) continue;
        const score = cosine(vector, w.vector, idf);
        const reason = subject && subject === w.subject ? 'entity' : 'similar';
        const needed = reason === 'entity' ? SIMILAR_WITH_KEY : SIMILAR;
        if (score >= needed && (!best || score > best.score)) best = { id, score, reason };
      }
      if (best) target = best;
    }
    if (target) {
      let w = working.get(target.id);
      if (!w) {
        const c = stories.candidate(target.id);
        w = c ? load(c) : { id: target.id, vector: new Map(), subject: undefined, lastItemAt: at, firstAt: at };
        working.set(w.id, w);
      }
      for (const [t, x] of vector) w.vector.set(t, (w.vector.get(t) ?? 0) + x);
      w.subject ??= subject;
      w.lastItemAt = Math.max(w.lastItemAt, at);
      w.firstAt = Math.min(w.firstAt, at);
      const terms = topTerms(w.vector);
      w.vector = new Map(terms);
      index(w);
      stories.join(w.id, item, target.reason, target.score, terms, w.subject ? [w.subject] : [], options.now);
      result.assignments.push({ itemId: item.id, storyId: w.id, reason: target.reason, score: target.score });
      if (!result.newStoryIds.includes(w.id) && !result.joinedStoryIds.includes(w.id)) result.joinedStoryIds.push(w.id);
    } else {
      const terms = topTerms(vector);
      const id = stories.create(item, terms, subject ? [subject] : [], options.now);
      const w: Working = { id, vector: new Map(terms), subject, lastItemAt: at, firstAt: at };
      working.set(id, w);
      index(w);
      result.newStoryIds.push(id);
      result.assignments.push({ itemId: item.id, storyId: id, reason: 'new', score: null });
    }
  });
  return result;
}
