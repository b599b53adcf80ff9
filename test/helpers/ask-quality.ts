import { readFileSync } from 'node:fs';
import { parseQuery } from '../../src/ask/parse-query.js';
import { searchStories } from '../../src/ask/search-stories.js';
import type { Services } from '../../src/compose.js';

/** A labelled question: the events (fixture keys) whose stories answer it; none means unanswerable. */
export interface Question {
  lang: 'en' | 'es';
  question: string;
  events: string[];
}

export function loadQuestions(): Question[] {
  return JSON.parse(readFileSync(new URL('../fixtures/ask-questions.json', import.meta.url), 'utf8')) as Question[];
}

/**
 * recall@5 (relevant stories in the top five, over min(relevant, 5), averaged over answerable
 * questions) and the share of unanswerable questions for which retrieval finds nothing.
 */
export function scoreRetrieval(s: Services, questions: Question[], storyOfEvent: Map<string, Set<number>>) {
  let recallSum = 0;
  let answerable = 0;
  let refused = 0;
  let unanswerable = 0;
  const misses: string[] = [];
  for (const q of questions) {
    const hits = searchStories(s, parseQuery(q.question, s.matcher), { now: s.clock.now(), limit: 5 }).map((h) => h.id);
    if (q.events.length === 0) {
      unanswerable++;
      if (hits.length === 0) refused++;
      else misses.push(`answered the unanswerable: ${q.question}`);
      continue;
    }
    answerable++;
    const relevant = new Set(q.events.flatMap((e) => [...(storyOfEvent.get(e) ?? [])]));
    const found = hits.filter((h) => relevant.has(h)).length;
    const recall = found / Math.min(relevant.size, 5);
    recallSum += recall;
    if (recall < 1) misses.push(`recall ${recall.toFixed(2)}: ${q.question}`);
  }
  return { recallAt5: recallSum / answerable, refusedShare: refused / unanswerable, answerable, unanswerable, misses };
}
