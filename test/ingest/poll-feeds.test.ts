import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type LocalServer, serve, serveWithEtag, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

let server: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;

beforeEach(async () => {
  server = await startServer();
  t = await testServices({ FEED_ERROR_LIMIT: '3', POLL_INTERVAL_MINUTES: '30' });
});
afterEach(async () => {
  await t.close();
  await server.close();
});

const three = [
  { title: 'Qwen3.5 released', link: 'https://qwen.example/35', guid: 'q35', date: 'Mon, 16 Feb 2026 08:00:00 GMT' },
  { title: 'DeepSeek-V4', link: 'https://ds.example/v4', guid: 'v4', date: 'Fri, 24 Apr 2026 08:00:00 GMT' },
  { title: 'GLM-5.2', link: 'https://z.example/glm52', guid: 'glm', date: 'Sat, 13 Jun 2026 08:00:00 GMT' },
];

describe('pollFeeds', () => {
  it('stores new items once; an unchanged feed (304) costs nothing and adds nothing', async () => {
    server.route(
      '/feed',
      serveWithEtag(() => rss(three), '"e1"'),
    );
    await t.services.feeds.add({ url: server.url('/feed') }, t.clock.now());
    const first = await runIngest(t.services);
    expect(first.feeds[0]).toMatchObject({ status: 'ok', newItems: 3 });
    expect(first.feeds[0]?.title).toBe('Test feed');
    expect((await t.services.feeds.list())[0]?.title).toBe('Test feed');
    t.clock.advance(31 * 60_000);
    const second = await runIngest(t.services);
    expect(second.feeds[0]).toMatchObject({ status: 'not_modified', newItems: 0 });
    expect(await t.services.items.count()).toBe(3);
  });

  it('does not store a second copy when a feed re-orders, re-dates or re-publishes entries', async () => {
    let body = rss(three);
    server.route('/feed', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
    await t.services.feeds.add({ url: server.url('/feed') }, t.clock.now());
    await runIngest(t.services);
    body = rss(
      [...three]
        .reverse()
        .map((i) => ({ ...i, date: 'Fri, 20 Nov 2026 07:00:00 GMT', link: `${i.link}?utm_source=rss` })),
    );
    const again = await runIngest(t.services, { all: true });
    expect(again.newItems).toBe(0);
    expect(await t.services.items.count()).toBe(3);
  });

  it('releases its feeds’ claims by the end of the cycle (in batches): an immediate `poll --all` polls every feed again', async () => {
    // More feeds than a release batch, each answering 304 from its second poll on.
    for (let i = 0; i < 40; i++) {
      server.route(
        `/f${i}`,
        serveWithEtag(() => rss([{ ...(three[0] as (typeof three)[0]), guid: `g${i}` }]), `"e${i}"`),
      );
      await t.services.feeds.add({ url: server.url(`/f${i}`) }, t.clock.now());
    }
    const first = await runIngest(t.services, { all: true });
    expect(first.feeds.map((f) => f.status)).toEqual(Array(40).fill('ok'));
    const left = async () =>
      (await t.services.sql.get<{ n: number }>("SELECT count(*) AS n FROM work_claims WHERE key LIKE 'feed:%'"))?.n;
    expect(await left()).toBe(0);
    const again = await runIngest(t.services, { all: true });
    expect(again.polledElsewhere).toBe(0);
    expect(again.feeds.map((f) => f.status)).toEqual(Array(40).fill('not_modified'));
    expect(await left()).toBe(0);
    expect(server.requests.length).toBe(80);
  });

  it('polls only due feeds and respects the interval', async () => {
    server.route('/feed', serve(rss(three)));
    await t.services.feeds.add({ url: server.url('/feed') }, t.clock.now());
    await runIngest(t.services);
    t.clock.advance(10 * 60_000);
    expect((await runIngest(t.services)).feeds.filter((f) => f.status !== 'paused')).toEqual([]);
  });

  it('records a failing feed with backoff and keeps polling the others', async () => {
    server.route('/good', serve(rss(three)));
    server.route('/bad', (_q, res) => void res.writeHead(500).end());
    server.route('/junk', serve('<html><body>not a feed</body></html>', 'text/html'));
    const good = (await t.services.feeds.add({ url: server.url('/good') }, t.clock.now())).feed;
    const bad = (await t.services.feeds.add({ url: server.url('/bad') }, t.clock.now())).feed;
    const junk = (await t.services.feeds.add({ url: server.url('/junk') }, t.clock.now())).feed;
    const r = await runIngest(t.services);
    expect(r.feeds.find((f) => f.id === good.id)).toMatchObject({ status: 'ok', newItems: 3 });
    expect(r.feeds.find((f) => f.id === bad.id)).toMatchObject({ status: 'error', code: 'feed_http_status' });
    expect(r.feeds.find((f) => f.id === junk.id)).toMatchObject({ status: 'error', code: 'feed_parse' });
    const stored = await t.services.feeds.get(bad.id);
    expect(stored).toMatchObject({ errorCount: 1, lastErrorCode: 'feed_http_status' });
    expect(stored?.lastError).toMatch(/HTTP 500/);
    // Backoff: the first retry waits one interval, the next twice that.
    expect(Date.parse(stored?.nextCheckAt ?? '') - t.clock.now().getTime()).toBe(30 * 60_000);
  });

  it('pauses a feed after FEED_ERROR_LIMIT failures in a row, keeps it listed, and resumes on request', async () => {
    server.route('/bad', (_q, res) => void res.writeHead(503).end());
    const bad = (await t.services.feeds.add({ url: server.url('/bad') }, t.clock.now())).feed;
    let last = await runIngest(t.services, { all: true });
    last = await runIngest(t.services, { all: true });
    last = await runIngest(t.services, { all: true });
    expect(last.feeds[0]).toMatchObject({ status: 'paused' });
    expect((await t.services.feeds.get(bad.id))?.pausedAt).not.toBeNull();
    const next = await runIngest(t.services, { all: true });
    expect(next.feeds[0]).toMatchObject({ status: 'paused', newItems: 0 });
    expect(next.feeds[0]?.error).toMatch(/paused after 3 failures/);
    expect(server.requests.length).toBe(3);
    await t.services.feeds.resume(bad.id, t.clock.now());
    await runIngest(t.services);
    expect(server.requests.length).toBe(4);
  });

  it('honours Retry-After on 429', async () => {
    server.route('/limited', (_q, res) => void res.writeHead(429, { 'retry-after': '7200' }).end());
    const f = (await t.services.feeds.add({ url: server.url('/limited') }, t.clock.now())).feed;
    await runIngest(t.services);
    expect(Date.parse((await t.services.feeds.get(f.id))?.nextCheckAt ?? '') - t.clock.now().getTime()).toBe(7200_000);
  });

  it('keeps items already stored when a feed later turns malformed or oversized', async () => {
    let body = rss(three);
    server.route('/feed', (_q, res) => void res.writeHead(200).end(body));
    await t.services.feeds.add({ url: server.url('/feed') }, t.clock.now());
    await runIngest(t.services);
    body = `${rss(three).slice(0, 120)}`;
    const r = await runIngest(t.services, { all: true });
    expect(r.feeds[0]).toMatchObject({ status: 'error', code: 'feed_parse' });
    body = 'x'.repeat(11 * 1024 * 1024);
    expect((await runIngest(t.services, { all: true })).feeds[0]).toMatchObject({
      status: 'error',
      code: 'feed_too_large',
    });
    expect(await t.services.items.count()).toBe(3);
  });

  it('limits concurrent requests to one host', async () => {
    let active = 0;
    let peak = 0;
    for (let i = 0; i < 6; i++) {
      server.route(`/f${i}`, async (_q, res) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 40));
        active--;
        res.writeHead(200).end(rss([{ title: `only ${i}`, guid: `g${i}` }]));
      });
      await t.services.feeds.add({ url: server.url(`/f${i}`) }, t.clock.now());
    }
    const r = await runIngest(t.services);
    expect(r.newItems).toBe(6);
    expect(peak).toBeLessThanOrEqual(2);
  });
});
