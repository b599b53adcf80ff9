import { existsSync, readFileSync } from 'node:fs';

/** One report of the real-news set, as its README describes it. */
export interface RealItem {
  outlet: string;
  url: string;
  lang: string;
  published: string;
  title: string;
  summary: string;
  labs: string[];
}

export interface RealEvent {
  id: string;
  label: string;
  event_date: string;
  items: RealItem[];
}

export interface RealNewsSet {
  events: RealEvent[];
  near_miss_pairs: [string, string][];
  distractors: string[];
}

/** Where the shared development set lives, beside the repository (CI has it; a bare clone may not). */
export const REAL_NEWS_DEV = new URL('../../shared/eval/real-news-dev.json', import.meta.url);

/** The lab ids the set's annotators could use; predictions outside this list cannot be judged. */
export const GOLD_LAB_IDS = new Set(
  'openai anthropic google meta mistral deepseek alibaba moonshot minimax zhipu xai microsoft amazon nvidia baidu tencent bytedance 01ai stepfun xiaomi cohere ai2 huggingface apple ibm'.split(
    ' ',
  ),
);

/**
 * Events kept aside for reporting: drawn once at random (Python `random.Random(2026).sample(ids, 10)`)
 * before any tuning, and never looked at while tuning. Figures on them show what unseen news gets.
 */
export const HELD_OUT = new Set(['D07', 'D08', 'D15', 'D18', 'D19', 'D21', 'D26', 'D27', 'D33', 'D36']);

export function loadRealNewsSet(path: URL | string = REAL_NEWS_DEV): RealNewsSet | null {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as RealNewsSet;
}

/** The same set restricted to some events (near-miss pairs and distractors that fall outside are dropped). */
export function subset(set: RealNewsSet, keep: (eventId: string) => boolean): RealNewsSet {
  return {
    events: set.events.filter((e) => keep(e.id)),
    near_miss_pairs: set.near_miss_pairs.filter(([a, b]) => keep(a) && keep(b)),
    distractors: set.distractors.filter(keep),
  };
}
