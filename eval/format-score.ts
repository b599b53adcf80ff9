import type { RealNewsScore } from './score-real-news.js';

const f = (x: number) => x.toFixed(3);

/** The evaluation's figures as a few aligned lines. */
export function formatScore(title: string, s: RealNewsScore): string {
  return [
    `== ${title}: ${s.items} reports of ${s.events} events → ${s.stories} stories`,
    `   clustering  P ${f(s.precision)}  R ${f(s.recall)}  F1 ${f(s.f1)}  cross-language R ${f(s.crossLanguageRecall)}  (${s.predictedPairs} predicted / ${s.goldPairs} gold pairs)`,
    `   near-miss   ${s.nearMissViolations}/${s.nearMissPairs} merged${s.violatedPairs.length ? ` (${s.violatedPairs.join(' ')})` : ''}   distractors absorbed ${s.distractorsAbsorbed}/${s.distractors}${s.absorbedDistractors.length ? ` (${s.absorbedDistractors.join(' ')})` : ''}`,
    `   labs/story  micro P ${f(s.labsPerStory.microPrecision)} R ${f(s.labsPerStory.microRecall)}  macro P ${f(s.labsPerStory.macroPrecision)} R ${f(s.labsPerStory.macroRecall)}  (${s.labsPerStory.stories} stories)`,
    `   labs/event  micro P ${f(s.labsPerEvent.microPrecision)} R ${f(s.labsPerEvent.microRecall)}  macro P ${f(s.labsPerEvent.macroPrecision)} R ${f(s.labsPerEvent.macroRecall)}`,
  ].join('\n');
}
