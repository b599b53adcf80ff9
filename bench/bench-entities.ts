import { join } from 'node:path';
import { createEntityMatcher } from '../src/catalog/match-entities.js';
import { buildServices } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import type { NormalizedItem } from '../src/core/types.js';
import { decodeBody } from '../src/feeds/decode-body.js';
import { normalizeItem } from '../src/feeds/normalize-item.js';
import { parseFeed } from '../src/feeds/parse-feed.js';
import { loadLabelledSet, scoreEntities } from '../test/helpers/score-entities.js';
import { rssDocument, syntheticItems } from './fixtures.js';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/**
 * Entity precision and recall on the labelled set, and what matching a day's items (2,000) costs
 * against ingesting them (parse, normalize, store). An ingest cycle matches each item once; clustering
 * and tagging share the result.
 */
export async function benchEntities(dir: string): Promise<Record<string, number>> {
  const matcher = createEntityMatcher();
  const score = scoreEntities(matcher, loadLabelledSet());
  const docs = Array.from({ length: 40 }, (_, f) => Buffer.from(rssDocument(syntheticItems(50, 500 + f), `Feed ${f}`)));
  const s = buildServices(loadConfig({ DATABASE_PATH: join(dir, 'entities.sqlite') }), { logger: silentLogger });
  const now = systemClock.now();
  const all: NormalizedItem[] = [];
  let t = process.hrtime.bigint();
  for (const [f, d] of docs.entries()) {
    const { feed } = s.feeds.add({ url: `https://bench.example/e${f}` }, now);
    const parsed = await parseFeed(decodeBody(d).text, feed.url);
    const items = parsed.items.map((p) => normalizeItem(p, { now })).filter((x): x is NormalizedItem => x !== null);
    s.items.insertMany(feed.id, items, now);
    all.push(...items);
  }
  const ingestMs = ms(t);
  matcher.match('warm up the automaton', 'DeepSeek-V4 and Qwen3.5');
  t = process.hrtime.bigint();
  let found = 0;
  for (const it of all) found += matcher.match(it.title, it.text).labs.length;
  const matchMs = ms(t);
  await s.close();
  return {
    labelled: loadLabelledSet().length,
    labPrecision: score.precision,
    labRecall: score.recall,
    versionPrecision: score.versionPrecision,
    versionRecall: score.versionRecall,
    items: all.length,
    ingestMs,
    matchMs,
    matchShareOfIngest: matchMs / ingestMs,
    labsFound: found,
  };
}
