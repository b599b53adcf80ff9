import type { Entities } from '../catalog/match-entities.js';
import type { StoredItem } from '../store/item-repository.js';
import type { StoryRepository } from '../store/story-repository.js';
import { CandidateIndex } from './candidate-index.js';
import { describeMatch } from './describe-match.js';
import { type ItemFeatures, itemFeatures } from './item-features.js';
import { type Match, matchStory, WINDOW } from './match-story.js';
import { addToProfile, mergeProfiles, type StoryProfile, startProfile } from './story-profile.js';

/** The catalog's reading of an item (memoized by the caller, since tagging needs it too). */
export type EntitiesOf = (item: { id: number; title: string; text: string }) => Entities;

/** Why an item is in its story. */
export type JoinReason = 'new' | 'url' | 'same-model' | 'related-model' | 'similar';

export interface ClusterResult {
  newStoryIds: number[];
  joinedStoryIds: number[];
  /** Stories folded into an older one: `from` no longer exists, its items are in `into`. */
  merges: { from: number; into: number }[];
  assignments: { itemId: number; storyId: number; reason: JoinReason; score: number | null }[];
}

const REASON: Record<Match['tie'], JoinReason> = { same: 'same-model', compatible: 'related-model', none: 'similar' };

/**
 * Assigns each new item to a story, in publication order. An item whose canonical URL is already in a
 * story joins it. Otherwise it joins the story it matches best (see match-story.ts: the same model within
 * three weeks, a related model within a week, shared names and words within days; never a story about
 * another version of the model or another line of the lab). When an item matches more than one story
 * and those stories agree with each other, they were one event all along: the newer ones are merged into
 * the oldest.
 */
export async function clusterItems(
  stories: StoryRepository,
  items: StoredItem[],
  options: { now: Date; entitiesOf: EntitiesOf },
): Promise<ClusterResult> {
  const result: ClusterResult = { newStoryIds: [], joinedStoryIds: [], merges: [], assignments: [] };
  if (items.length === 0) return result;
  const sorted = [...items].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id - b.id);
  const features = sorted.map((it) => itemFeatures(it, options.entitiesOf(it)));
  const earliest = Math.min(...features.map((f) => f.at).filter(Number.isFinite), options.now.getTime());
  const working = new Map<number, StoryProfile>();
  const terms = new CandidateIndex();
  const index = (id: number, t: Iterable<string>) => terms.index(id, t);
  // Profiles change in memory as items join; each changed one is stored once, when the batch is done,
  // with the index terms it had before (so only a changed index is written).
  const dirty = new Set<StoryProfile>();
  const indexedBefore = new Map<StoryProfile, string[]>();
  const touch = (p: StoryProfile) => {
    if (!indexedBefore.has(p)) indexedBefore.set(p, stories.indexedTerms(p));
    dirty.add(p);
  };
  const termsOf = (f: ItemFeatures) => [...f.anchors.keys(), ...f.words.keys()];
  // Only stories that share a heavy term with this batch can be joined: load those, not the whole window.
  const wanted = new Set<string>();
  for (const f of features) for (const t of heaviest(f)) wanted.add(t);
  // A few candidates per item are plenty (most share rare names with one or two stories); loading
  // thousands per slice was most of clustering's garbage on a large first poll.
  const cap = Math.max(500, 4 * items.length);
  for (const p of await stories.candidatesSharing([...wanted], new Date(earliest - WINDOW.same), cap)) {
    working.set(p.id, p);
    terms.countAndIndex(p.id, [p.anchors.keys(), p.words.keys()]);
  }
  for (const f of features) terms.count(termsOf(f));
  const idf = terms.idf;
  // The stories already holding each URL, read once for the batch; items placed below are added as they
  // go. (Every item comes from the cluster queue, so none is in a story yet.)
  const byUrls = await stories.storiesWithUrls([
    ...new Set(sorted.map((it) => it.canonicalUrl).filter((u): u is string => !!u)),
  ]);
  // Links and counts are written together at the end (and before a merge, which reads them).
  const batch = stories.placements();
  const place = (url: string | null, storyId: number) => {
    if (url && !byUrls.has(url)) byUrls.set(url, storyId);
  };
  for (const [i, item] of sorted.entries()) {
    const f = features[i] as ItemFeatures;
    const seen = item.canonicalUrl ? byUrls.get(item.canonicalUrl) : undefined;
    const byUrl = seen === undefined ? undefined : resolve(result.merges, seen);
    if (byUrl !== undefined) {
      const p = working.get(byUrl) ?? (await stories.candidate(byUrl));
      if (p) {
        touch(p);
        addToProfile(p, f);
        working.set(p.id, p);
        index(p.id, termsOf(f));
        await stories.join(p.id, item, 'url', null, 'same link as an earlier report', options.now, batch);
        note(result, item.id, p.id, 'url', null);
        continue;
      }
    }
    // Candidates: stories sharing the item's distinctive terms, most shared first.
    const matches: { p: StoryProfile; m: Match }[] = [];
    for (const id of terms.sharing(termsOf(f), 30)) {
      const p = working.get(id);
      const m = p && matchStory(f, p, idf);
      if (p && m) matches.push({ p, m });
    }
    const rank = { same: 2, compatible: 1, none: 0 };
    matches.sort((a, b) => rank[b.m.tie] - rank[a.m.tie] || b.m.score - a.m.score);
    const best = matches[0];
    if (!best) {
      const p = startProfile(0, f);
      const id = await stories.create(item, options.now, p, batch);
      indexedBefore.set(p, stories.indexedTerms(p));
      place(item.canonicalUrl, id);
      working.set(id, p);
      index(id, termsOf(f));
      result.newStoryIds.push(id);
      result.assignments.push({ itemId: item.id, storyId: id, reason: 'new', score: null });
      continue;
    }
    const target = best.p;
    const detail = describeMatch(f, target, best.m, idf);
    touch(target);
    addToProfile(target, f);
    place(item.canonicalUrl, target.id);
    await stories.join(target.id, item, REASON[best.m.tie], best.m.score, detail, options.now, batch);
    note(result, item.id, target.id, REASON[best.m.tie], best.m.score);
    for (const other of matches.slice(1)) {
      if (!mergeable(target, other.p, idf)) continue;
      const [into, from] = target.id < other.p.id ? [target, other.p] : [other.p, target];
      touch(into);
      mergeProfiles(into, from);
      await stories.merge(from.id, into.id, options.now, batch);
      working.delete(from.id);
      dirty.delete(from);
      dirty.add(into);
      result.merges.push({ from: from.id, into: into.id });
      index(into.id, [...from.anchors.keys(), ...from.words.keys()]);
    }
  }
  await stories.flush(batch, options.now);
  for (const p of dirty) await stories.saveProfile(p, indexedBefore.get(p));
  // A story merged away is neither new nor joined any more.
  const gone = new Set(result.merges.map((m) => m.from));
  result.newStoryIds = result.newStoryIds.filter((id) => !gone.has(id));
  result.joinedStoryIds = result.joinedStoryIds.filter((id) => !gone.has(id));
  for (const a of result.assignments) a.storyId = resolve(result.merges, a.storyId);
  return result;
}

function note(result: ClusterResult, itemId: number, storyId: number, reason: JoinReason, score: number | null) {
  result.assignments.push({ itemId, storyId, reason, score });
  if (!result.newStoryIds.includes(storyId) && !result.joinedStoryIds.includes(storyId))
    result.joinedStoryIds.push(storyId);
}

function resolve(merges: { from: number; into: number }[], id: number): number {
  let current = id;
  for (const m of merges) if (m.from === current) current = m.into;
  return current;
}

/** The terms that find a report's candidate stories: its anchors and its headline's words. */
function heaviest(f: ItemFeatures): string[] {
  const out = [...f.anchors.keys()];
  for (const [t, w] of f.words) if (w >= 2) out.push(t);
  return out;
}

/**
 * Two stories that one report matches are one event when they agree with each other too: no model
 * conflict between them and one of them could take the other's first report.
 */
function mergeable(a: StoryProfile, b: StoryProfile, idf: (t: string) => number): boolean {
  const probe = (p: StoryProfile): ItemFeatures => ({
    at: p.firstAt,
    subjects: [...p.subjects.keys()],
    principal: [...p.principal.keys()],
    prospective: p.prospective * 2 > p.items,
    anchors: p.anchors,
    words: p.words,
  });
  return matchStory(probe(b), a, idf) !== null || matchStory(probe(a), b, idf) !== null;
}
