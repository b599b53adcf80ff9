import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createEntityMatcher } from '../src/catalog/match-entities.js';
import { AUTHORS, buildServices, pollSettings } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import { pollFeeds } from '../src/ingest/poll-feeds.js';
import { clusterNewItems, createItemMatcher } from '../src/ingest/run-ingest.js';
import { summarizeStories } from '../src/ingest/summarize-stories.js';
import { tagStories } from '../src/ingest/tag-stories.js';
import { loadLabelledSet, scoreEntities } from '../test/helpers/score-entities.js';
import { OFFLINE_SOURCES, sqliteOf } from '../test/helpers/test-services.js';
import { rssDocument, syntheticItems } from './fixtures.js';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/**
 * Entity precision and recall on the labelled set, and what catalog matching costs in a day's ingest:
 * one full cycle (fetch, parse, normalize, store, cluster, tag, summarize) of 2,000 items from 40
 * loopback feeds, against matching the same items once, as the cycle does.
 */
export async function benchEntities(dir: string): Promise<Record<string, number>> {
  const matcher = createEntityMatcher();
  const score = scoreEntities(matcher, loadLabelledSet());
  const docs = Array.from({ length: 40 }, (_, f) => rssDocument(syntheticItems(50, 500 + f), `Feed ${f}`));
  const server = createServer(
    (req, res) =>
      void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(docs[Number(req.url?.slice(1))]),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const s = await buildServices(
    loadConfig({ DATABASE_PATH: join(dir, 'entities.sqlite'), ALLOW_PRIVATE_FEED_URLS: 'true', ...OFFLINE_SOURCES }),
    { logger: silentLogger },
  );
  for (let f = 0; f < docs.length; f++) await s.feeds.add({ url: `http://127.0.0.1:${port}/${f}` }, s.clock.now());
  let t = process.hrtime.bigint();
  await pollFeeds(
    {
      feeds: s.feeds,
      items: s.items,
      releases: s.releases,
      claims: s.claims,
      matcher: s.matcher,
      authors: AUTHORS,
      fetch: s.fetch,
      clock: s.clock,
      logger: s.logger,
      settings: pollSettings(s.config),
    },
    { all: true },
  );
  const pollMs = ms(t);
  t = process.hrtime.bigint();
  const matchItem = createItemMatcher(s);
  await clusterNewItems(s, matchItem);
  await tagStories(s, matchItem);
  const clusterTagMs = ms(t);
  t = process.hrtime.bigint();
  await summarizeStories(s);
  const cycleMs = pollMs + clusterTagMs + ms(t);
  const items = sqliteOf(s).prepare('SELECT * FROM items').all() as { title: string; text: string }[];
  matcher.match('warm up the automaton', 'DeepSeek-V4 and Qwen3.5');
  t = process.hrtime.bigint();
  let found = 0;
  for (const it of items) found += matcher.match(it.title, it.text).labs.length;
  const matchMs = ms(t);
  await s.close();
  server.close();
  return {
    labelled: loadLabelledSet().length,
    labPrecision: score.precision,
    labRecall: score.recall,
    versionPrecision: score.versionPrecision,
    versionRecall: score.versionRecall,
    items: items.length,
    ingestCycleMs: cycleMs,
    clusterTagMs,
    clusterTagShareOfCycle: clusterTagMs / cycleMs,
    matchMs,
    matchShareOfCycle: matchMs / cycleMs,
    labsFound: found,
  };
}
