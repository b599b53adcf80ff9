import type { ItemFeatures } from './item-features.js';
import { forgetNorm } from './terms.js';

/** What clustering keeps of a story: the sum of its reports' features, bounded. */
export interface StoryProfile {
  id: number;
  /** Earliest and latest publication time of its reports. @unit milliseconds since the epoch */
  firstAt: number;
  lastAt: number;
  anchors: Map<string, number>;
  words: Map<string, number>;
  /** Models its reports are about (`lab|key`), with how many reports named each. */
  subjects: Map<string, number>;
  /** Labs its reports are mainly about, with counts. */
  principal: Map<string, number>;
  /** How many of its reports announce a release still to come. */
  prospective: number;
  items: number;
}

const MAX_ANCHORS = 40;
const MAX_WORDS = 64;

function top(v: Map<string, number>, n: number): Map<string, number> {
  if (v.size <= n) return v;
  return new Map([...v].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, n));
}

function addAll(into: Map<string, number>, from: Map<string, number> | string[], w = 1): void {
  forgetNorm(into);
  if (Array.isArray(from)) for (const k of from) into.set(k, (into.get(k) ?? 0) + w);
  else for (const [k, x] of from) into.set(k, (into.get(k) ?? 0) + x * w);
}

/** Keeps the heaviest terms; trimming waits until a map doubles, so adding a report stays cheap. */
function trim(p: StoryProfile): void {
  if (p.anchors.size > 2 * MAX_ANCHORS) p.anchors = top(p.anchors, MAX_ANCHORS);
  if (p.words.size > 2 * MAX_WORDS) p.words = top(p.words, MAX_WORDS);
}

/** A new story's profile from its first report. */
export function startProfile(id: number, f: ItemFeatures): StoryProfile {
  const p: StoryProfile = {
    id,
    firstAt: f.at,
    lastAt: f.at,
    anchors: new Map(),
    words: new Map(),
    subjects: new Map(),
    principal: new Map(),
    prospective: 0,
    items: 0,
  };
  addToProfile(p, f);
  return p;
}

/** Adds a report to a profile (in place), keeping the heaviest terms. */
export function addToProfile(p: StoryProfile, f: ItemFeatures): void {
  p.firstAt = Math.min(p.firstAt, f.at);
  p.lastAt = Math.max(p.lastAt, f.at);
  addAll(p.anchors, f.anchors);
  addAll(p.words, f.words);
  trim(p);
  addAll(p.subjects, f.subjects);
  addAll(p.principal, f.principal);
  if (f.prospective) p.prospective++;
  p.items++;
}

/** Folds one profile into another (a merge of two stories). */
export function mergeProfiles(into: StoryProfile, from: StoryProfile): void {
  into.firstAt = Math.min(into.firstAt, from.firstAt);
  into.lastAt = Math.max(into.lastAt, from.lastAt);
  addAll(into.anchors, from.anchors);
  addAll(into.words, from.words);
  trim(into);
  addAll(into.subjects, from.subjects);
  addAll(into.principal, from.principal);
  into.prospective += from.prospective;
  into.items += from.items;
}

/**
 * The keys `top(v, n)` keeps, in its order (heaviest first, ties by key; a map of at most `n` as it is),
 * by insertion into a list of `n` rather than sorting the whole map: clustering asks for a story's index
 * terms several times per report, and sorting copies of ~100 entries each time was 3-4x slower.
 */
function topKeys(v: Map<string, number>, n: number): string[] {
  if (v.size <= n) return [...v.keys()];
  const keys: string[] = [];
  const weights: number[] = [];
  for (const [k, w] of v) {
    if (keys.length === n) {
      const last = weights[n - 1] as number;
      if (w < last || (w === last && k > (keys[n - 1] as string))) continue;
    }
    let i = keys.length < n ? keys.length : n - 1;
    for (; i > 0; i--) {
      const pw = weights[i - 1] as number;
      if (!(pw < w || (pw === w && (keys[i - 1] as string) > k))) break;
      keys[i] = keys[i - 1] as string; // i < n always: a full list's last entry is the one given up
      weights[i] = pw;
    }
    keys[i] = k;
    weights[i] = w;
  }
  return keys;
}

/** The heaviest terms, for the inverted index that finds candidate stories. */
export function indexTerms(p: StoryProfile, n = 16): string[] {
  const anchors = topKeys(p.anchors, Math.ceil(n / 2));
  const words = topKeys(p.words, n).slice(0, n - anchors.length);
  return [...anchors, ...words];
}

/** The stored form: weighted terms, and the rest as one JSON object. */
export function serializeProfile(p: StoryProfile): { terms: string; keys: string } {
  return {
    terms: JSON.stringify([...top(p.anchors, MAX_ANCHORS), ...top(p.words, MAX_WORDS)]),
    keys: JSON.stringify({
      subjects: Object.fromEntries(p.subjects),
      principal: Object.fromEntries(p.principal),
      prospective: p.prospective,
      items: p.items,
    }),
  };
}

/** Anchor terms are `k:`, `l:`, `n:`, `a:`, `q:` or `t:` and a name; words never hold a colon. */
function isAnchor(t: string): boolean {
  if (t.charCodeAt(1) !== 58) return false; // ':'
  const c = t.charCodeAt(0);
  return c === 107 || c === 108 || c === 110 || c === 97 || c === 113 || c === 116; // k l n a q t
}

/**
 * Reads a stored profile. Stories clustered before profiles existed stored plain terms and a list of
 * version keys; they read as a profile without subjects, so they can still be joined on wording.
 */
export function parseProfile(
  id: number,
  terms: string,
  keys: string,
  firstAt: string,
  lastAt: string,
  items: number,
): StoryProfile {
  const weighted = JSON.parse(terms) as [string, number][];
  // One pass, no regular expression: a batch loads up to a thousand stored profiles, each with ~100 terms.
  const anchors = new Map<string, number>();
  const words = new Map<string, number>();
  for (const [t, w] of weighted) (isAnchor(t) ? anchors : words).set(t, w);
  const meta = JSON.parse(keys) as
    | string[]
    | { subjects: Record<string, number>; principal: Record<string, number>; prospective: number; items: number };
  const profile: StoryProfile = {
    id,
    firstAt: Date.parse(firstAt),
    lastAt: Date.parse(lastAt),
    anchors,
    words,
    subjects: new Map(),
    principal: new Map(),
    prospective: 0,
    items,
  };
  if (!Array.isArray(meta)) {
    profile.subjects = new Map(Object.entries(meta.subjects));
    profile.principal = new Map(Object.entries(meta.principal));
    profile.prospective = meta.prospective;
    profile.items = meta.items;
  }
  return profile;
}
