import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createEntityMatcher } from '../src/catalog/match-entities.js';
import { buildServices, type Services } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import { createItemMatcher } from '../src/ingest/item-matcher.js';
import { clusterNewItems, pollServicesFeeds } from '../src/ingest/run-ingest.js';
import { summarizeStories } from '../src/ingest/summarize-stories.js';
import { tagStories } from '../src/ingest/tag-stories.js';
import { loadLabelledSet, scoreEntities } from '../test/helpers/score-entities.js';
import { OFFLINE_SOURCES, sqliteOf } from '../test/helpers/test-services.js';
import { rssDocument, syntheticItems } from './fixtures.js';
import { realFeeds, type ServedFeed } from './real-feeds.js';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** What one ingest cycle over a set of loopback feeds cost, and clustering and tagging's part of it. */
interface Cycle {
  s: Services;
  items: number;
  stories: number;
  cycleMs: number;
  clusterTagMs: number;
  /** Store calls (all/get/run) clustering and tagging made. */
  clusterTagStatements: number;
  /** Time spent inside those calls (SQLite does its work synchronously within the call). */
  clusterTagStoreMs: number;
}

/**
 * Counts the calls made on `s.sql` while `fn` runs (repositories hold the same port), and the time spent
 * inside them: on SQLite a statement runs before its call returns, so that is the store's own work.
 */
async function countingStatements<T>(
  s: Services,
  fn: () => Promise<T>,
): Promise<{ result: T; calls: number; storeMs: number }> {
  const port = s.sql as unknown as Record<'all' | 'get' | 'run', (...a: unknown[]) => Promise<unknown>>;
  const originals = { all: port.all, get: port.get, run: port.run };
  let calls = 0;
  let storeMs = 0;
  for (const m of ['all', 'get', 'run'] as const) {
    const original = originals[m].bind(s.sql);
    port[m] = (...a: unknown[]) => {
      calls++;
      const t = process.hrtime.bigint();
      try {
        return original(...a);
      } finally {
        storeMs += ms(t);
      }
    };
  }
  try {
    const result = await fn();
    return { result, calls, storeMs };
  } finally {
    Object.assign(port, originals);
  }
}

/**
 * One full cycle (fetch, parse, normalize, store, cluster, tag, summarize) of `docs`, each served as
 * its own loopback feed into a new database. The caller closes `s`.
 */
async function measureCycle(dir: string, name: string, docs: ServedFeed[]): Promise<Cycle> {
  const server = createServer((req, res) => {
    const doc = docs[Number(req.url?.slice(1))];
    if (!doc) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': doc.contentType }).end(doc.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const s = await buildServices(
    loadConfig({ DATABASE_PATH: join(dir, `${name}.sqlite`), ALLOW_PRIVATE_FEED_URLS: 'true', ...OFFLINE_SOURCES }),
    { logger: silentLogger },
  );
  try {
    for (let f = 0; f < docs.length; f++) await s.feeds.add({ url: `http://127.0.0.1:${port}/${f}` }, s.clock.now());
    let t = process.hrtime.bigint();
    await pollServicesFeeds(s, { all: true });
    const pollMs = ms(t);
    t = process.hrtime.bigint();
    const matchItem = createItemMatcher(s.matcher);
    const { calls, storeMs } = await countingStatements(s, async () => {
      await clusterNewItems(s, matchItem);
      await tagStories(s, matchItem);
    });
    const clusterTagMs = ms(t);
    t = process.hrtime.bigint();
    await summarizeStories(s);
    const count = async (table: string) =>
      (await s.sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? 0;
    return {
      s,
      items: await count('items'),
      stories: await count('stories'),
      cycleMs: pollMs + clusterTagMs + ms(t),
      clusterTagMs,
      clusterTagStatements: calls,
      clusterTagStoreMs: storeMs,
    };
  } finally {
    server.close();
  }
}

/**
 * Entity precision and recall on the labelled set, and what clustering, tagging and catalog matching
 * cost in a day's ingest: one full cycle of 2,000 synthetic items from 40 loopback feeds (a worst case:
 * every item is about one of 12 labs, so every item is a candidate for every story), against matching
 * the same items once, as the cycle does; then the same share on the real feeds of ../shared/corpus
 * (when it is there), and on the synthetic feeds again once the process is warm, as a server is after
 * its first cycle (the first figure includes compiling every code path and regular expression once).
 * `storeShareOfCycle` is the part of the cycle clustering and tagging spend inside store calls, and
 * `matchShareOfCycle` what reading every item against the catalog once costs: with the rest (features
 * and placement decisions), what clustering and tagging's share is made of.
 */
export async function benchEntities(dir: string): Promise<Record<string, number>> {
  const matcher = createEntityMatcher();
  const score = scoreEntities(matcher, loadLabelledSet());
  const synthetic = Array.from({ length: 40 }, (_, f) => ({
    body: Buffer.from(rssDocument(syntheticItems(50, 500 + f), `Feed ${f}`)),
    contentType: 'application/rss+xml',
  }));
  const first = await measureCycle(dir, 'entities', synthetic);
  const items = sqliteOf(first.s).prepare('SELECT * FROM items').all() as { title: string; text: string }[];
  await first.s.close();
  matcher.match('warm up the automaton', 'DeepSeek-V4 and Qwen3.5');
  const t = process.hrtime.bigint();
  let found = 0;
  for (const it of items) found += matcher.match(it.title, it.text).labs.length;
  const matchMs = ms(t);
  const figures: Record<string, number> = {
    labelled: loadLabelledSet().length,
    labPrecision: score.precision,
    labRecall: score.recall,
    versionPrecision: score.versionPrecision,
    versionRecall: score.versionRecall,
    items: items.length,
    ingestCycleMs: first.cycleMs,
    clusterTagMs: first.clusterTagMs,
    clusterTagShareOfCycle: first.clusterTagMs / first.cycleMs,
    statementsPerItem: first.clusterTagStatements / items.length,
    storeShareOfCycle: first.clusterTagStoreMs / first.cycleMs,
    matchMs,
    matchShareOfCycle: matchMs / first.cycleMs,
    labsFound: found,
  };
  const real = realFeeds();
  if (real) {
    const r = await measureCycle(dir, 'entities-real', real);
    const realItems = sqliteOf(r.s).prepare('SELECT title, text FROM items').all() as { title: string; text: string }[];
    await r.s.close();
    const tr = process.hrtime.bigint();
    for (const it of realItems) matcher.match(it.title, it.text);
    figures.realMatchShareOfCycle = ms(tr) / r.cycleMs;
    figures.realFeeds = real.length;
    figures.realItems = r.items;
    figures.realStories = r.stories;
    figures.realCycleMs = r.cycleMs;
    figures.realClusterTagMs = r.clusterTagMs;
    figures.realClusterTagShareOfCycle = r.clusterTagMs / r.cycleMs;
    figures.realStatementsPerItem = r.clusterTagStatements / r.items;
    figures.realStoreShareOfCycle = r.clusterTagStoreMs / r.cycleMs;
  }
  const warm = await measureCycle(dir, 'entities-warm', synthetic);
  await warm.s.close();
  figures.warmCycleMs = warm.cycleMs;
  figures.warmClusterTagMs = warm.clusterTagMs;
  figures.warmClusterTagShareOfCycle = warm.clusterTagMs / warm.cycleMs;
  figures.warmStoreShareOfCycle = warm.clusterTagStoreMs / warm.cycleMs;
  return figures;
}
