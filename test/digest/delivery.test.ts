import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverDigest } from '../../src/digest/deliver-digest.js';
import { runDueDigests } from '../../src/digest/send-digest.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackSink, createWebClient } from '../../src/slack/slack-sink.js';
import type { DigestRecord } from '../../src/store/digest-repository.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
let feeds: LocalServer;
let slack: FakeSlack;
let t: Awaited<ReturnType<typeof testServices>>;
const sleeps: number[] = [];
const sleep = async (ms: number) => {
  sleeps.push(ms);
  t.clock.advance(ms);
};

const ITEMS = Array.from({ length: 3 }, (_, i) => ({
  title: [
    'DeepSeek releases DeepSeek-V4 under MIT',
    'Mistral AI ships Mistral Large 3',
    'Moonshot AI updates Kimi K2.6',
  ][i] as string,
  guid: `g${i}`,
  link: `https://news.example/${i}`,
  date: 'Sun, 29 Nov 2026 05:00:00 GMT',
  description:
    'The lab released a new model today with open weights. It improves coding and reasoning, the company said.',
}));

beforeEach(async () => {
  sleeps.length = 0;
  feeds = await startServer({ '/feed': serve(rss(ITEMS, 'AI Wire')) });
  t = await testServices();
  slack = await startFakeSlack({ now: () => t.clock.now() });
  t.clock.set('2026-11-29T06:00:00Z');
  await t.services.feeds.add({ url: feeds.url('/feed'), title: 'AI Wire' }, t.clock.now());
  await runIngest(t.services);
  await t.services.channels.subscribe('C1', { digestTime: '08:00', timezone: 'UTC' }, 'test', t.clock.now());
  t.clock.set('2026-11-29T08:00:00Z');
});
afterEach(async () => {
  await t.close();
  await slack.close();
  await feeds.close();
});

const sink = () => createSlackSink(createWebClient('xoxb-test-token', slack.apiUrl));
const run = () => runDueDigests(t.services, sink(), { sleep, paceMs: 1000 });

describe('digest delivery to Slack', () => {
  it('posts the due digest once, with blocks, a text fallback, unfurls off and digest metadata', async () => {
    const [r] = await run();
    expect(r?.result.status).toBe('posted');
    expect(slack.posts()).toHaveLength(1);
    const m = slack.posts()[0];
    expect(m).toMatchObject({
      channel: 'C1',
      unfurl_links: false,
      unfurl_media: false,
      metadata: { event_type: 'ai_news_digest', event_payload: { part: 0 } },
    });
    expect(m?.text).toMatch(/DeepSeek releases DeepSeek-V4/);
    expect(JSON.stringify(m?.blocks)).toMatch(/<https:\/\/news\.example\/\d\|/);
    expect(slack.calls.find((c) => c.method === 'chat.postMessage')?.headers.authorization).toBe(
      'Bearer xoxb-test-token',
    );
    const record = await t.services.digests.find('C1', '2026-11-29');
    expect(record).toMatchObject({ status: 'posted', messageTs: m?.ts, parts: 1 });
    t.clock.advance(60_000);
    expect(await run()).toEqual([]);
    expect(slack.posts()).toHaveLength(1);
  });

  it('waits out a 429 with its Retry-After and posts once', async () => {
    slack.fault('chat.postMessage', { kind: 'status', status: 429, headers: { 'retry-after': '7' } });
    const [r] = await run();
    expect(r?.result.status).toBe('posted');
    expect(sleeps).toContain(7000);
    expect(slack.posts()).toHaveLength(1);
  });

  it('after an ambiguous failure (Slack stored it, then answered 500) looks before posting again', async () => {
    slack.fault('chat.postMessage', { kind: 'accept-then-status', status: 500 });
    const [r] = await run();
    expect(r?.result.status).toBe('posted');
    expect(slack.posts()).toHaveLength(1);
    expect(slack.calls.some((c) => c.method === 'conversations.history')).toBe(true);
  });

  it('retries an ambiguous failure that did not post', async () => {
    slack.fault('chat.postMessage', { kind: 'status', status: 503 });
    const [r] = await run();
    expect(r?.result.status).toBe('posted');
    expect(slack.posts()).toHaveLength(1);
  });

  it.each([
    ['channel_not_found', /does not exist/],
    ['not_in_channel', /invite it with \/invite @ai-news/],
    ['is_archived', /archived/],
    ['invalid_auth', /SLACK_BOT_TOKEN/],
  ])(
    'marks the digest failed on %s with a message the operator can act on, and does not retry',
    async (error, message) => {
      slack.fault('chat.postMessage', { kind: 'error', error });
      const [r] = await run();
      expect(r?.result).toMatchObject({ status: 'failed', error: expect.stringMatching(message) });
      expect((await t.services.digests.find('C1', '2026-11-29'))?.status).toBe('failed');
      expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
      t.clock.advance(60_000);
      expect(await run()).toEqual([]);
    },
  );

  it('continues a long digest in a thread, paced at most one message per second', async () => {
    const messages = Array.from({ length: 3 }, (_, i) => ({
      text: `part ${i}`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `part ${i}` } }],
    }));
    const record = await t.services.digests.claim(
      {
        channelId: 'C1',
        windowKey: 'manual:long',
        from: new Date(0),
        to: t.clock.now(),
        storyIds: [],
        tokens: 0,
        messages,
      },
      t.clock.now(),
    );
    const r = await deliverDigest(t.services, sink(), record as DigestRecord, { sleep, paceMs: 1000 });
    expect(r.status).toBe('posted');
    const posts = slack.posts();
    expect(posts.map((p) => p.text)).toEqual(['part 0', 'part 1', 'part 2']);
    expect(posts[0]?.thread_ts).toBeUndefined();
    for (const p of posts.slice(1)) expect(p.thread_ts).toBe(posts[0]?.ts);
    expect(sleeps).toEqual([1000, 1000]);
    expect(await t.services.digests.find('C1', 'manual:long')).toMatchObject({
      status: 'posted',
      messageTs: posts[0]?.ts,
      parts: 3,
    });
  });

  it('leaves the digest pending when Slack asks for a long wait, and finishes it on a later tick', async () => {
    slack.fault('chat.postMessage', { kind: 'status', status: 429, headers: { 'retry-after': '600' } });
    const [r] = await run();
    expect(r?.result.status).toBe('pending');
    expect(slack.posts()).toHaveLength(0);
    t.clock.advance(600_000);
    const [again] = await run();
    expect(again?.result.status).toBe('posted');
    expect(slack.posts()).toHaveLength(1);
  });
});
