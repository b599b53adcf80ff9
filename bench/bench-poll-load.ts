import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildServices, type Services } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import type { NormalizedItem } from '../src/core/types.js';
import { processNewItems, runIngest } from '../src/ingest/run-ingest.js';
import { createSlackApp } from '../src/slack/create-slack-app.js';
import { startFakeSlack } from '../test/helpers/fake-slack.js';
import { commandBody, SIGNING_SECRET, signedPost } from '../test/helpers/signed-request.js';
import { OFFLINE_SOURCES, sqliteOf } from '../test/helpers/test-services.js';
import { bigStoryItems, rssDocument } from './fixtures.js';

const GROUPS = 8;

async function serveFeeds(docs: Map<string, string>): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const body = docs.get(req.url ?? '');
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function open(dir: string, name: string): Promise<Services> {
  return await buildServices(
    loadConfig({
      DATABASE_PATH: join(dir, `${name}.sqlite`),
      ALLOW_PRIVATE_FEED_URLS: 'true',
      FEED_TIMEOUT_MS: '300000',
      ...OFFLINE_SOURCES,
    }),
    { logger: silentLogger },
  );
}

/** Stores `n` big-story items straight into the archive (no fetch) over `feeds` feeds, then clusters them. */
async function fillArchive(s: Services, n: number, feeds: number): Promise<void> {
  const now = systemClock.now();
  const all = bigStoryItems(n, 0, GROUPS);
  const per = Math.ceil(n / feeds);
  for (let f = 0; f < feeds; f++) {
    const { feed } = await s.feeds.add({ url: `https://archive.example/${f}` }, now);
    sqliteOf(s).prepare('UPDATE feeds SET paused_at = ? WHERE id = ?').run(now.toISOString(), feed.id); // not polled
    const items: NormalizedItem[] = all.slice(f * per, (f + 1) * per).map((i) => ({
      guid: i.guid,
      url: i.link,
      canonicalUrl: i.link,
      title: i.title,
      text: i.html.replace(/<[^>]+>/g, ' '),
      author: null,
      language: 'en',
      publishedAt: new Date(i.date).toISOString(),
      dateSource: 'feed',
      contentHash: i.guid,
    }));
    await s.items.insertMany(feed.id, items, now);
  }
  await processNewItems(s);
}

/**
 * Slowest acknowledgement of a signed `/ai-news help` (a real HTTP round trip to the Bolt app on
 * loopback, one request in flight at a time) while the same process polls a 3,000-item feed into an
 * archive of 16,000 items held in 8 big stories; also the event loop's longest stall in that time (a
 * 10 ms timer's biggest gap), which bounds the ack of any request: /healthz, a slash command, an event.
 */
export async function benchPollAck(dir: string): Promise<Record<string, number>> {
  const archive = 16_000;
  const incoming = 3_000;
  const s = await open(dir, 'poll-ack');
  const slack = await startFakeSlack();
  const fillStarted = performance.now();
  await fillArchive(s, archive, GROUPS);
  const fillMs = performance.now() - fillStarted;
  const { origin, server } = await serveFeeds(
    new Map([['/incoming', rssDocument(bigStoryItems(incoming, archive, GROUPS), 'Incoming')]]),
  );
  await s.feeds.add({ url: `${origin}/incoming` }, systemClock.now());
  const app = await createSlackApp(s, { token: 'xoxb-bench', signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl });
  const port = await app.start(0);
  const url = `http://127.0.0.1:${port}/slack/events`;
  const send = () =>
    signedPost(
      url,
      commandBody('help', { responseUrl: `${slack.apiUrl}response.hook` }),
      'application/x-www-form-urlencoded',
    );
  await send(); // warm-up
  // The longest stall of the event loop: the biggest gap between ticks of a 10 ms timer, less 10 ms.
  let lastTick = performance.now();
  let maxStall = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    maxStall = Math.max(maxStall, now - lastTick - 10);
    lastTick = now;
  }, 10);
  const started = performance.now();
  let done = false;
  const poll = runIngest(s).finally(() => {
    done = true;
  });
  const acks: number[] = [];
  let failures = 0;
  while (!done) {
    const r = await send();
    acks.push(r.ms);
    if (r.status !== 200) failures++;
  }
  const report = await poll;
  const pollMs = performance.now() - started;
  // A stall that ends the poll is seen here, not by a tick (the probe is cleared before it could fire).
  maxStall = Math.max(maxStall, performance.now() - lastTick - 10);
  clearInterval(probe);
  await app.stop();
  await slack.close();
  server.close();
  const stories = await s.stories.count();
  await s.close();
  acks.sort((a, b) => a - b);
  return {
    archiveItems: archive,
    archiveFillMs: fillMs,
    polledItems: report.newItems,
    stories,
    pollMs,
    acks: acks.length,
    failures,
    medianAckMs: acks[Math.floor(acks.length / 2)] ?? 0,
    slowestAckMs: acks[acks.length - 1] ?? 0,
    maxLoopStallMs: maxStall,
  };
}

/** One poll of `total` items from 8 feeds into 8 big stories, in a fresh database. @unit milliseconds */
async function pollCost(dir: string, total: number): Promise<number> {
  const per = total / GROUPS;
  const docs = new Map<string, string>();
  for (let f = 0; f < GROUPS; f++) docs.set(`/${f}`, rssDocument(bigStoryItems(per, f * per, GROUPS), `Feed ${f}`));
  const { origin, server } = await serveFeeds(docs);
  const s = await open(dir, `poll-scale-${total}`);
  for (let f = 0; f < GROUPS; f++) await s.feeds.add({ url: `${origin}/${f}` }, systemClock.now());
  const started = performance.now();
  const report = await runIngest(s, { all: true });
  const ms = performance.now() - started;
  if (report.newItems !== total) throw new Error(`poll-scale: stored ${report.newItems} of ${total} items`);
  server.close();
  await s.close();
  return ms;
}

/** Poll cost for 24k and 48k items into big stories: linear growth means a ratio near 2. */
export async function benchPollScale(dir: string): Promise<Record<string, number>> {
  await pollCost(dir, 3_000); // warm-up
  const small = await pollCost(dir, 24_000);
  const large = await pollCost(dir, 48_000);
  return { items24kMs: small, items48kMs: large, ratio: large / small, usPerItem48k: (large * 1000) / 48_000 };
}
