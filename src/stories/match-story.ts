import { type ModelName, parseModelKey, type Relation, relateModels } from '../catalog/model-name.js';
import type { ItemFeatures } from './item-features.js';
import type { StoryProfile } from './story-profile.js';
import { cosine, squaredNorm } from './terms.js';

const DAY = 86_400_000;

/**
 * How long after a story's reports another report may still join it, by what ties them. Coverage of one
 * release arrives over one to three weeks (explainers, benchmarks, translations), so the same model
 * reaches far; a related model (a tier, a less specific name) less; shared names and words only a few days.
 * @unit milliseconds
 */
export const WINDOW = { same: 21 * DAY, compatible: 7 * DAY, none: 3 * DAY } as const;

/** Similarity a report needs to join a story, by what ties them. */
export const THRESHOLD = { same: 0.05, compatible: 0.2, none: 0.4 } as const;

export type Tie = 'same' | 'compatible' | 'none';

const parsed = new Map<string, ModelName>();
/** parseModelKey, remembered: a batch compares the same few keys thousands of times. */
function parsedKey(key: string): ModelName {
  let m = parsed.get(key);
  if (!m) {
    if (parsed.size > 10_000) parsed.clear();
    m = parseModelKey(key);
    parsed.set(key, m);
  }
  return m;
}

/** Why a report can join a story, or null when it cannot. */
export interface Match {
  tie: Tie;
  /** Combined similarity (see `similarity`). */
  score: number;
  /** The model that tied them, when one did. */
  model: string | null;
}

/**
 * How the models two sides are about relate: `same` release, `compatible`, `conflict` (other version or
 * edition of one line, or another line of the same lab), or `none` (no model on one side, or other labs).
 */
export function relateSubjects(
  a: Iterable<string>,
  b: Iterable<string>,
): { relation: Relation | 'none'; model: string | null } {
  let best: Relation | 'none' = 'none';
  let model: string | null = null;
  const rank = { same: 3, compatible: 2, conflict: 1, unrelated: 0, none: 0 };
  const parse = (x: string) => {
    const [lab = '', key = '', where] = x.split('|');
    return { lab, key, model: parsedKey(key), lead: where === 'lead' };
  };
  const bs = [...b].map(parse);
  for (const x of [...a].map(parse)) {
    for (const y of bs) {
      let r = relateModels(x.model, y.model);
      // Two lines of one lab (GPT-4.1 and o3, Gemma and Gemini) released days apart are two events.
      if (r === 'unrelated' && x.lab === y.lab) r = 'conflict';
      // Only headlines name a release for sure; a model a lead names first ties as related.
      if (r === 'same' && (x.lead || y.lead)) r = 'compatible';
      if (rank[r] > rank[best]) {
        best = r;
        model = r === 'same' || r === 'compatible' ? x.key : null;
      }
    }
  }
  return { relation: best === 'unrelated' ? 'none' : best, model };
}

/**
 * The models a story is about, most specific first: a name that another of its names refines ("R1" beside
 * "R1-Lite-Preview", "Qwen3-Max" beside "Qwen3-Max-Preview") is how some reports shortened the one
 * release, so a later report that names only the short form is related, not the same.
 */
export function storySubjects(subjects: Iterable<string>): string[] {
  const all = [...subjects].map((x) => ({ raw: x, m: parsedKey(x.split('|')[1] ?? '') }));
  const refines = (t: ModelName, s: ModelName) =>
    t.ns === s.ns &&
    (s.version === null || s.version === t.version) &&
    s.editions.every((e) => t.editions.includes(e)) &&
    (t.editions.length > s.editions.length || (s.version === null && t.version !== null));
  return all.filter((s) => !all.some((t) => t !== s && refines(t.m, s.m))).map((s) => s.raw);
}

/** How many shared names it takes before names alone can say two reports are one event. */
const NAMES_FOR_EVENT = 3;

/**
 * Similarity of a report to a story: the names, models, labs and quantities they share (which cross
 * languages), lifted by shared wording when they share a language. Names alone count in proportion to
 * how many are shared: one lab in common ("DeepSeek") says nothing about which DeepSeek story it is.
 */
export function similarity(f: ItemFeatures, p: StoryProfile, idf: (t: string) => number): number {
  let shared = 0;
  for (const t of f.anchors.keys()) if (p.anchors.has(t)) shared++;
  // A story's norms are remembered: it is scored against many reports of a batch, and changes seldom.
  const anchors =
    cosine(f.anchors, p.anchors, idf, squaredNorm(p.anchors, idf)) * Math.min(1, shared / NAMES_FOR_EVENT);
  const words = cosine(f.words, p.words, idf, squaredNorm(p.words, idf));
  return Math.max(anchors, (anchors + words) / 2);
}

function disjoint(a: string[], b: Map<string, number>): boolean {
  return a.length > 0 && b.size > 0 && !a.some((x) => b.has(x));
}

/** Whether a report may join a story, and how strongly; null when it may not. */
export function matchStory(f: ItemFeatures, p: StoryProfile, idf: (t: string) => number): Match | null {
  const gap = Math.max(0, p.firstAt - f.at, f.at - p.lastAt);
  if (gap > WINDOW.same) return null;
  const { relation, model } = relateSubjects(f.subjects, storySubjects(p.subjects.keys()));
  if (relation === 'conflict') return null;
  let tie: Tie = relation === 'same' || relation === 'compatible' ? relation : 'none';
  // The promise of a release and the release are two events, though they name the same model.
  const storyProspective = p.prospective * 2 > p.items;
  if (tie !== 'none' && f.prospective !== storyProspective) tie = 'none';
  if (gap > WINDOW[tie]) return null;
  if (tie === 'none' && disjoint(f.principal, p.principal)) return null;
  const score = similarity(f, p, idf);
  if (score < THRESHOLD[tie]) return null;
  return { tie, score, model: tie === 'none' ? null : model };
}
