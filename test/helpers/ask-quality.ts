import { readFileSync } from 'node:fs';
import { parseQuery } from '../../src/ask/parse-query.js';
import { searchStories } from '../../src/ask/search-stories.js';
import type { Services } from '../../src/compose.js';
import type { Clock } from '../../src/core/clock.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type LocalServer, serve } from './feed-server.js';
import { rss } from './test-services.js';

/** One report of the fixture day: which event it is about, and where it ran. */
export interface Report {
  event: string;
  feed: string;
  title: string;
  text: string;
  date: string;
  url: string;
}

/** The fixture archive (test/fixtures/stories-day.json) built through the real pipeline; story ids per event. */
export async function buildArchive(
  t: { services: Services; clock: Clock & { set(d: string): void } },
  server: LocalServer,
): Promise<Map<string, Set<number>>> {
  const reports = JSON.parse(
    readFileSync(new URL('../fixtures/stories-day.json', import.meta.url), 'utf8'),
  ) as Report[];
  t.clock.set('2026-04-23T12:00:00Z');
  for (const feed of new Set(reports.map((r) => r.feed))) {
    const items = reports
      .filter((r) => r.feed === feed)
      .map((r) => ({ title: r.title, link: r.url, guid: r.url, date: r.date, description: r.text }));
    server.route(`/${feed}`, serve(rss(items, feed)));
    await t.services.feeds.add({ url: server.url(`/${feed}`), title: feed }, t.clock.now());
  }
  await runIngest(t.services);
  const byUrl = new Map(
    (
      await t.services.sql.all<{ url: string; story_id: number }>(
        'SELECT i.url, si.story_id FROM items i JOIN story_items si ON si.item_id = i.id',
      )
    ).map((r) => [r.url, r.story_id]),
  );
  const out = new Map<string, Set<number>>();
  for (const r of reports) out.set(r.event, new Set([...(out.get(r.event) ?? []), byUrl.get(r.url) as number]));
  return out;
}

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
export async function scoreRetrieval(s: Services, questions: Question[], storyOfEvent: Map<string, Set<number>>) {
  let recallSum = 0;
  let answerable = 0;
  let refused = 0;
  let unanswerable = 0;
  const misses: string[] = [];
  for (const q of questions) {
    const hits = (await searchStories(s, parseQuery(q.question, s.matcher), { now: s.clock.now(), limit: 5 })).map(
      (h) => h.id,
    );
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
