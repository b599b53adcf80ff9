import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackSink, createWebClient, WATCH_EVENT } from '../../src/slack/slack-sink.js';
import { runWatches } from '../../src/watch/run-watches.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

/**
 * Clustering merges two stories when a later report shows they were one event; a channel that was told
 * about both keeps its two announcements and hears of the new report once, in a thread — never a third post.
 */
let feeds: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
const served = new Map<string, { title: string; link: string; guid: string; date: string; description: string }[]>();

beforeEach(async () => {
  feeds = await startServer();
  t = await testServices();
  slack = await startFakeSlack({ now: () => t.clock.now() });
  for (const name of ['wire', 'tech', 'zh']) {
    served.set(name, []);
    feeds.route(
      `/${name}`,
      (_q, res) =>
        void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(served.get(name) ?? [], name)),
    );
    await t.services.feeds.add({ url: feeds.url(`/${name}`), title: name }, t.clock.now());
  }
});
afterEach(async () => {
  await t.close();
  await slack.close();
  await feeds.close();
});

describe('watch posts across a story merge', () => {
  it('moves the record to the surviving story: no new post, the merging report threaded once', async () => {
    t.clock.set('2025-03-16T10:00:00Z');
    await t.services.watch.addRule('C1', '', 'lab:baidu', 'test', t.clock.now());
    t.clock.advance(60_000);
    served.get('wire')?.push({
      title: 'Baidu unveils ERNIE X1, a reasoning model to rival DeepSeek',
      link: 'https://wire.example/x1',
      guid: 'x1',
      date: 'Sun, 16 Mar 2025 08:00:00 GMT',
      description: 'Baidu said its new reasoning model ERNIE X1 matches DeepSeek-R1 at half the price.',
    });
    served.get('tech')?.push({
      title: 'Baidu makes ERNIE 4.5 free for everyone in ERNIE Bot',
      link: 'https://tech.example/45',
      guid: '45',
      date: 'Sun, 16 Mar 2025 09:00:00 GMT',
      description: 'The multimodal ERNIE 4.5 model is free from today, Baidu said on Sunday.',
    });
    await runIngest(t.services, { all: true });
    const sink = createSlackSink(createWebClient('xoxb-test-token', slack.apiUrl));
    expect(await runWatches(t.services, sink)).toMatchObject({ announced: 2 });
    const posts = () => slack.messages.filter((m) => m.metadata?.event_type === WATCH_EVENT);
    const [older, newer] = (await t.services.stories.listSince(new Date(0))).map((x) => x.id).sort((a, b) => a - b) as [
      number,
      number,
    ];

    t.clock.set('2025-03-16T20:00:00Z');
    served.get('zh')?.push({
      title: '百度发布文心大模型4.5和文心大模型X1，免费开放',
      link: 'https://zh.example/both',
      guid: 'both',
      date: 'Sun, 16 Mar 2025 19:00:00 GMT',
      description: '3月16日，百度连续发布了文心大模型X1和文心大模型4.5，并向所有用户免费开放。',
    });
    await runIngest(t.services, { all: true });
    expect((await t.services.stories.get(newer))?.id).toBe(older); // merged
    expect(await t.services.watch.claimedStories('C1', [older, newer])).toEqual(new Set([older]));
    expect(await runWatches(t.services, sink)).toMatchObject({ announced: 0, updates: 1 });
    const top = posts().filter((m) => !m.thread_ts);
    expect(top).toHaveLength(2);
    const olderPost = top.find((m) => /ERNIE X1/.test(m.text));
    expect(
      posts()
        .filter((m) => m.thread_ts)
        .map((m) => [m.thread_ts, m.text]),
    ).toEqual([[olderPost?.ts, '+1 source: zh']]);
    expect(await runWatches(t.services, sink)).toMatchObject({ announced: 0, updates: 0 });
  });
});
