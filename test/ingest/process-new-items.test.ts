import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { listenOnLoopback } from '../helpers/listen-loopback.js';
import { rss, testServices } from '../helpers/test-services.js';

let server: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;

beforeEach(async () => {
  server = await startServer();
  t = await testServices();
});
afterEach(async () => {
  await t.close();
  await server.close();
});

/** `n` reports of one event, all linking to the same article (so they join one story by URL). */
function reports(feed: string, n: number, from = 0) {
  return Array.from({ length: n }, (_, k) => ({
    title: `${feed} report ${from + k}: DeepSeek releases DeepSeek-V4`,
    guid: `${feed}-${from + k}`,
    link: 'https://deepseek.example/v4',
    date: 'Thu, 19 Nov 2026 08:00:00 GMT',
    description: `DeepSeek released V4 with open weights (${feed}, ${from + k}).`,
  }));
}

async function recount(storyId: number) {
  return (await t.services.sql.get(
    `SELECT count(*) AS items, count(DISTINCT i.feed_id) AS feeds FROM story_items si
       JOIN items i ON i.id = si.item_id WHERE si.story_id = ?`,
    [storyId],
  )) as { items: number; feeds: number };
}

describe('processing new items', () => {
  it('counts a story’s items and distinct feeds as reports join it, poll after poll', async () => {
    let a = reports('a', 3);
    server.route('/a', (q, r) => serve(rss(a, 'A'))(q, r));
    server.route('/b', serve(rss(reports('b', 2), 'B')));
    await t.services.feeds.add({ url: server.url('/a') }, t.clock.now());
    await t.services.feeds.add({ url: server.url('/b') }, t.clock.now());
    await runIngest(t.services);
    const [story] = await t.services.stories.listSince(new Date(0));
    expect(story).toMatchObject({ itemCount: 5, sourceCount: 2 });
    expect(await recount(story?.id ?? 0)).toEqual({ items: 5, feeds: 2 });

    a = reports('a', 5); // two more from a feed already counted: more items, no new source
    server.route('/c', serve(rss(reports('c', 1), 'C')));
    await t.services.feeds.add({ url: server.url('/c') }, t.clock.now());
    await runIngest(t.services, { all: true });
    expect(await t.services.stories.get(story?.id ?? 0)).toMatchObject({ itemCount: 8, sourceCount: 3 });
    expect(await recount(story?.id ?? 0)).toEqual({ items: 8, feeds: 3 });
    expect(await t.services.stories.count()).toBe(1);
  });

  it('tags a story of more than 100 reports once, not again at every poll', async () => {
    server.route('/a', serve(rss(reports('a', 130), 'A')));
    await t.services.feeds.add({ url: server.url('/a') }, t.clock.now());
    await runIngest(t.services);
    const [story] = await t.services.stories.listSince(new Date(0));
    expect(story?.itemCount).toBe(130);
    expect((await t.services.entities.tagsOf(story?.id ?? 0)).map((x) => x.key)).toContain('deepseek');
    expect(await t.services.stories.needingTags()).toEqual([]);
  });

  it('lets the process answer a request while a big feed is stored, clustered, tagged and summarized', async () => {
    let served: () => void = () => {};
    const bodySent = new Promise<void>((r) => {
      served = r;
    });
    const body = rss(
      Array.from({ length: 1500 }, (_, k) => ({
        title: `Lab ${k % 40} ships model ${k} with benchmark ${k * 7}`,
        guid: `big-${k}`,
        link: `https://news.example/${k % 300}`,
        date: 'Thu, 19 Nov 2026 08:00:00 GMT',
        description: `Model ${k} from lab ${k % 40} scores ${k * 7} on the benchmark.`,
      })),
    );
    server.route('/big', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(body, () => served());
    });
    await t.services.feeds.add({ url: server.url('/big') }, t.clock.now());
    // Stands for /healthz or a Slack ack: an HTTP request to a server in this same process.
    const health = createServer((_q, res) => void res.end('ok'));
    const { port, close } = await listenOnLoopback(health);
    const order: string[] = [];
    const poll = runIngest(t.services).then((r) => {
      order.push('poll done');
      return r;
    });
    await bodySent;
    const answered = fetch(`http://127.0.0.1:${port}/healthz`)
      .then((r) => r.text())
      .then(() => order.push('request answered'));
    const report = await poll;
    await answered;
    await close();
    expect(report.newItems).toBe(1500);
    expect(order).toEqual(['request answered', 'poll done']);
  });
});
