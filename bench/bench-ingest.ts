import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { buildServices } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import type { NormalizedItem } from '../src/core/types.js';
import { decodeBody } from '../src/feeds/decode-body.js';
import { normalizeItem } from '../src/feeds/normalize-item.js';
import { parseFeed } from '../src/feeds/parse-feed.js';
import { runIngest } from '../src/ingest/run-ingest.js';
import { rssDocument, syntheticItems } from './fixtures.js';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Parse+normalize+store of N items against rss-parser's bare parse of the same bytes, in one run. */
export async function benchIngest(dir: string): Promise<Record<string, number>> {
  const feeds = 20;
  const perFeed = 500;
  const docs = Array.from({ length: feeds }, (_, f) =>
    Buffer.from(rssDocument(syntheticItems(perFeed, f + 1), `Feed ${f}`)),
  );
  const total = feeds * perFeed;
  // Warm both paths once so JIT state is comparable.
  await new Parser().parseString(docs[0]?.toString() ?? '');
  await parseFeed(docs[0]?.toString() ?? '');

  let t = process.hrtime.bigint();
  for (const d of docs) await new Parser().parseString(d.toString('utf8'));
  const bare = ms(t);

  const s = buildServices(loadConfig({ DATABASE_PATH: join(dir, 'ingest.sqlite') }), { logger: silentLogger });
  const now = systemClock.now();
  let stored = 0;
  const phase = { parse: 0, normalize: 0, store: 0 };
  t = process.hrtime.bigint();
  for (const [f, d] of docs.entries()) {
    const { feed } = s.feeds.add({ url: `https://bench.example/${f}` }, now);
    let p = process.hrtime.bigint();
    const parsed = await parseFeed(decodeBody(d, 'application/rss+xml').text, feed.url);
    phase.parse += ms(p);
    p = process.hrtime.bigint();
    const items = parsed.items.map((x) => normalizeItem(x, { now })).filter((x): x is NormalizedItem => x !== null);
    phase.normalize += ms(p);
    p = process.hrtime.bigint();
    stored += s.items.insertMany(feed.id, items, now).length;
    phase.store += ms(p);
  }
  const ours = ms(t);
  await s.close();
  return {
    items: total,
    stored,
    bareParseMs: bare,
    oursMs: ours,
    parseMs: phase.parse,
    normalizeMs: phase.normalize,
    storeMs: phase.store,
    itemsPerSecond: (stored / ours) * 1000,
    ratioToBareParse: ours / bare,
    parseOnlyRatio: phase.parse / bare,
  };
}

/** One poll cycle over `n` loopback feeds of which 90% answer 304 on the second cycle. */
export async function benchPollCycle(dir: string, n = 500): Promise<Record<string, number>> {
  const bodies = Array.from({ length: n }, (_, i) => rssDocument(syntheticItems(20, 1000 + i), `Loop ${i}`));
  let changedRound = 0;
  const server = createServer((req, res) => {
    const i = Number(req.url?.slice(1));
    const changed = changedRound > 0 && i % 10 === 0; // 10% changed in the measured cycle
    const etag = `"${i}-${changed ? changedRound : 0}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    const body = changed
      ? bodies[i]?.replace(
          '</channel>',
          `<item><title>new ${changedRound}</title><guid>n${i}-${changedRound}</guid></item></channel>`,
        )
      : bodies[i];
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'poll.sqlite'),
    ALLOW_PRIVATE_FEED_URLS: 'true',
    POLL_CONCURRENCY: '16',
    POLL_PER_HOST_CONCURRENCY: '16',
  });
  const s = buildServices(config, { logger: silentLogger });
  const now = systemClock.now();
  s.db.transaction(() => {
    for (let i = 0; i < n; i++) s.feeds.add({ url: `http://127.0.0.1:${port}/${i}` }, now);
  })();
  let t = process.hrtime.bigint();
  const first = await runIngest(s, { all: true });
  const firstMs = ms(t);
  changedRound = 1;
  t = process.hrtime.bigint();
  const second = await runIngest(s, { all: true });
  const secondMs = ms(t);
  await s.close();
  server.close();
  return {
    feeds: n,
    firstCycleMs: firstMs,
    firstCycleNewItems: first.newItems,
    cycleMs: secondMs,
    notModified: second.feeds.filter((f) => f.status === 'not_modified').length,
    newItems: second.newItems,
  };
}
