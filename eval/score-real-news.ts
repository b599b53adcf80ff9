import { GOLD_LAB_IDS, type RealNewsSet } from './real-news-set.js';

/** What the pipeline produced: the story of each report (by URL) and each story's labs. */
export interface Prediction {
  storyOf: Map<string, number>;
  labsOf: Map<number, Set<string>>;
}

export interface LabScore {
  stories: number;
  microPrecision: number;
  microRecall: number;
  macroPrecision: number;
  macroRecall: number;
}

/** The figures the set's README asks for. */
export interface RealNewsScore {
  items: number;
  events: number;
  stories: number;
  goldPairs: number;
  predictedPairs: number;
  precision: number;
  recall: number;
  f1: number;
  crossLanguageRecall: number;
  nearMissViolations: number;
  nearMissPairs: number;
  violatedPairs: string[];
  distractorsAbsorbed: number;
  distractors: number;
  absorbedDistractors: string[];
  /** Per predicted story, gold = the union of its items' labs. */
  labsPerStory: LabScore;
  /** Per gold event, predicted = the union of the labs of the stories its items landed in. */
  labsPerEvent: LabScore;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

function labScore(pairs: { gold: Set<string>; predicted: Set<string> }[]): LabScore {
  let tp = 0;
  let predicted = 0;
  let gold = 0;
  let pSum = 0;
  let rSum = 0;
  let n = 0;
  for (const p of pairs) {
    const pred = new Set([...p.predicted].filter((l) => GOLD_LAB_IDS.has(l)));
    if (pred.size === 0 && p.gold.size === 0) continue;
    const hit = [...pred].filter((l) => p.gold.has(l)).length;
    tp += hit;
    predicted += pred.size;
    gold += p.gold.size;
    pSum += ratio(hit, pred.size);
    rSum += ratio(hit, p.gold.size);
    n++;
  }
  return {
    stories: n,
    microPrecision: ratio(tp, predicted),
    microRecall: ratio(tp, gold),
    macroPrecision: n ? pSum / n : 1,
    macroRecall: n ? rSum / n : 1,
  };
}

/**
 * Scores a prediction as `../shared/eval/README.md` says: pairwise clustering P/R/F1 (and recall on
 * cross-language pairs), near-miss pairs merged, distractors absorbed, and lab tags per story and per
 * event. Lab predictions outside the annotators' id list are left out (nobody could have labelled them).
 */
export function scoreRealNews(
  set: RealNewsSet,
  prediction: Prediction,
  focus: (eventId: string) => boolean = () => true,
): RealNewsScore {
  const all = set.events.flatMap((e) =>
    e.items.map((it) => ({ event: e.id, lang: it.lang, labs: it.labs, story: prediction.storyOf.get(it.url) })),
  );
  // Pairs and events are judged within the focus; what shares a story with them is judged from the whole run.
  const items = all.filter((it) => focus(it.event));
  let gold = 0;
  let crossGold = 0;
  let predicted = 0;
  let hit = 0;
  let crossHit = 0;
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i] as (typeof items)[number];
      const b = items[j] as (typeof items)[number];
      const same = a.event === b.event;
      const together = a.story !== undefined && a.story === b.story;
      const cross = a.lang !== b.lang;
      if (same) gold++;
      if (same && cross) crossGold++;
      if (together) predicted++;
      if (same && together) {
        hit++;
        if (cross) crossHit++;
      }
    }
  const precision = ratio(hit, predicted);
  const recall = ratio(hit, gold);
  const eventsOfStory = new Map<number, Set<string>>();
  for (const it of all) {
    if (it.story === undefined) continue;
    const set = eventsOfStory.get(it.story) ?? new Set<string>();
    set.add(it.event);
    eventsOfStory.set(it.story, set);
  }
  const nearMiss = set.near_miss_pairs.filter(([a, b]) => focus(a) || focus(b));
  const distractors = set.distractors.filter(focus);
  const violatedPairs = nearMiss
    .filter(([a, b]) => [...eventsOfStory.values()].some((events) => events.has(a) && events.has(b)))
    .map(([a, b]) => `${a}/${b}`);
  const absorbedDistractors = distractors.filter((d) =>
    [...eventsOfStory.values()].some((events) => events.has(d) && events.size > 1),
  );
  const focusStories = new Set(items.map((it) => it.story));
  const storyGold = new Map<number, Set<string>>();
  for (const it of all) {
    if (it.story === undefined || !focusStories.has(it.story)) continue;
    const g = storyGold.get(it.story) ?? new Set<string>();
    for (const l of it.labs) g.add(l);
    storyGold.set(it.story, g);
  }
  const labsPerStory = labScore(
    [...storyGold].map(([story, g]) => ({ gold: g, predicted: prediction.labsOf.get(story) ?? new Set() })),
  );
  const labsPerEvent = labScore(
    set.events
      .filter((e) => focus(e.id))
      .map((e) => {
        const stories = new Set(e.items.map((it) => prediction.storyOf.get(it.url)));
        const predictedLabs = new Set<string>();
        for (const s of stories)
          if (s !== undefined) for (const l of prediction.labsOf.get(s) ?? []) predictedLabs.add(l);
        return { gold: new Set(e.items.flatMap((it) => it.labs)), predicted: predictedLabs };
      }),
  );
  return {
    items: items.length,
    events: set.events.filter((e) => focus(e.id)).length,
    stories: focusStories.size,
    goldPairs: gold,
    predictedPairs: predicted,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    crossLanguageRecall: ratio(crossHit, crossGold),
    nearMissViolations: violatedPairs.length,
    nearMissPairs: nearMiss.length,
    violatedPairs,
    distractorsAbsorbed: absorbedDistractors.length,
    distractors: distractors.length,
    absorbedDistractors,
    labsPerStory,
    labsPerEvent,
  };
}
