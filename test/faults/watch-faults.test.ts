import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run-command.js';
import { buildServices, type Services } from '../../src/compose.js';
import { silentLogger } from '../../src/core/logger.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackSink, createWebClient, WATCH_EVENT } from '../../src/slack/slack-sink.js';
import { runWatches } from '../../src/watch/run-watches.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { type FakeMessage, startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, tempDir, testConfig } from '../helpers/test-services.js';
import { faultTable } from './fault-table.js';

/**
 * Faults around watch posts: a story is announced once per channel whatever happens between the claim,
 * Slack and our record — a kill -9, two processes at once, rate limits, lost answers, a channel the bot
 * cannot post to. The table printed at the end lists case, expected and observed.
 */
const table = faultTable();
afterAll(() => table.print('Watch fault cases'));
const ROOT = join(import.meta.dirname, '../..');
const START = '2026-11-20T08:00:00Z';
const NOW = '2026-11-20T08:05:00Z';

let feeds: LocalServer;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  feeds = await startServer({
    '/feed': serve(
      rss([
        {
          title: 'DeepSeek releases DeepSeek-V4 under MIT',
          guid: 'a',
          link: 'https://n.example/a',
          description: 'DeepSeek released V4 with open weights.',
        },
        {
          title: 'Zhipu AI files for an initial public offering in Hong Kong',
          guid: 'b',
          link: 'https://n.example/b',
          description: 'The listing would value Zhipu at several billion dollars.',
        },
        {
          title: 'Moonshot AI raises a new funding round led by Alibaba',
          guid: 'c',
          link: 'https://n.example/c',
          description: 'The round values Moonshot AI higher than last year.',
        },
      ]),
    ),
  });
  cleanups.push(() => feeds.close());
});
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A database (SQLite file, or PostgreSQL URL on that project) holding three stories from Chinese labs, first seen after C1's rule `origin:CN`. */
async function prepare(): Promise<{ database: string; open: (now?: string) => Promise<Services> }> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const config = testConfig(t.dir);
  const open = async (now = NOW) => await buildServices(config, { logger: silentLogger, clock: fakeClock(now) });
  const s = await open(START);
  await s.watch.addRule('C1', '', 'origin:CN', 'test', new Date(START));
  await s.feeds.add({ url: feeds.url('/feed') }, new Date(START));
  await runIngest(s);
  expect(await s.stories.count()).toBe(3);
  await s.close();
  return { database: config.databaseUrl ?? config.databasePath, open };
}

function worker(database: string, apiUrl: string, now = NOW) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/watch-worker.ts', database, apiUrl, now], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const done = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out })),
  );
  return { child, done };
}

const watchMessages = (messages: FakeMessage[]) => messages.filter((m) => m.metadata?.event_type === WATCH_EVENT);
/** Each story's announcement, by the story title it carries. */
function announcedTitles(messages: FakeMessage[]): string[] {
  return watchMessages(messages)
    .filter((m) => !m.thread_ts)
    .map((m) => m.text.replace(/^🔔 /, '').replace(/ — .*$/s, ''))
    .sort();
}
const TITLES = [
  'DeepSeek releases DeepSeek-V4 under MIT',
  'Moonshot AI raises a new funding round led by Alibaba',
  'Zhipu AI files for an initial public offering in Hong Kong',
];

let slack: Awaited<ReturnType<typeof startFakeSlack>> | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

describe('watch posts under faults', () => {
  it('kill -9 after Slack accepted an announcement, before it was recorded: the next run finds it, posts no copy', async () => {
    const { database } = await prepare();
    let first: ReturnType<typeof worker> | undefined;
    slack = await startFakeSlack({
      now: () => new Date(NOW),
      onAccept: (m) => {
        if (m.metadata?.event_type === WATCH_EVENT) first?.child.kill('SIGKILL');
      },
    });
    first = worker(database, slack.apiUrl);
    expect((await first.done).code).toBeNull(); // killed
    expect(watchMessages(slack.messages)).toHaveLength(1);
    // The lease of the dead process runs out; the next run checks the channel before posting anything.
    const second = worker(database, slack.apiUrl, '2026-11-20T08:16:00Z');
    const r = await second.done;
    expect(r.code).toBe(0);
    const observed = announcedTitles(slack.messages);
    const ids = watchMessages(slack.messages).map((m) => m.metadata?.event_payload.watch_message_id);
    table.add({
      fault: 'kill -9 after Slack accepted, before the record',
      expected: '3 stories, each posted once',
      observed: `${observed.length} posts, ${new Set(observed).size} distinct stories, ${new Set(ids).size} ids`,
      pass: JSON.stringify(observed) === JSON.stringify(TITLES) && new Set(ids).size === ids.length,
    });
    expect(observed).toEqual(TITLES);
    expect(new Set(ids).size).toBe(ids.length);
  }, 30_000);

  it('two processes run the watch step at once: each story is claimed and posted by one of them', async () => {
    const { database } = await prepare();
    slack = await startFakeSlack({ now: () => new Date(NOW) });
    const a = worker(database, slack.apiUrl);
    const b = worker(database, slack.apiUrl);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const announced = [ra, rb].map((r) => (JSON.parse(r.out) as { announced: number }).announced);
    const observed = announcedTitles(slack.messages);
    table.add({
      fault: 'two processes at once',
      expected: '3 stories, each posted once',
      observed: `${observed.length} posts (${announced.join(' + ')})`,
      pass: JSON.stringify(observed) === JSON.stringify(TITLES),
    });
    expect(observed).toEqual(TITLES);
    expect(announced.reduce((n, x) => n + x, 0)).toBe(3);
  }, 30_000);

  const inProcess: [string, (s: NonNullable<typeof slack>) => void, string, (posts: FakeMessage[]) => boolean][] = [
    [
      '429 with Retry-After on the first post',
      (f) => f.fault('chat.postMessage', { kind: 'status', status: 429, headers: { 'retry-after': '1' } }),
      'waited out; 3 stories, each once',
      (posts) => JSON.stringify(announcedTitles(posts)) === JSON.stringify(TITLES),
    ],
    [
      'HTTP 500 after Slack accepted the post (answer lost)',
      (f) => f.fault('chat.postMessage', { kind: 'accept-then-status', status: 500 }),
      'found in the channel; 3 stories, each once',
      (posts) => JSON.stringify(announcedTitles(posts)) === JSON.stringify(TITLES),
    ],
  ];
  it.each(inProcess)('%s', async (name, arm, expected, ok) => {
    const { open } = await prepare();
    slack = await startFakeSlack({ now: () => new Date(NOW) });
    arm(slack);
    const s = await open();
    try {
      await runWatches(s, createSlackSink(createWebClient('xoxb-test', slack.apiUrl)), {
        sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
      });
      await runWatches(s, createSlackSink(createWebClient('xoxb-test', slack.apiUrl)));
    } finally {
      await s.close();
    }
    const pass = ok(slack.messages);
    table.add({ fault: name, expected, observed: `${watchMessages(slack.messages).length} posts`, pass });
    expect(announcedTitles(slack.messages)).toEqual(TITLES);
  });

  it('a channel the bot is not in: the post fails for good with the reason, shown by `watch`, never retried', async () => {
    const { open } = await prepare();
    slack = await startFakeSlack({ now: () => new Date(NOW) });
    slack.fault('chat.postMessage', { kind: 'error', error: 'not_in_channel' });
    const s = await open();
    try {
      const sink = createSlackSink(createWebClient('xoxb-test', slack.apiUrl));
      const first = await runWatches(s, sink);
      const again = await runWatches(s, sink);
      const listing = await runCommand(
        { services: s, actor: { id: 'op', isAdmin: async () => true }, channelId: 'C1', surface: 'cli' },
        ['watch'],
      );
      const observed = `${first.failed} failed, ${first.announced} + ${again.announced} posted; ${/not_in_channel: the bot is not in the channel; invite it/.test(listing.text) ? 'reason shown' : 'no reason'}`;
      table.add({
        fault: 'channel_not_found / not_in_channel',
        expected: '1 failed, 2 + 0 posted; reason shown',
        observed,
        pass: observed === '1 failed, 2 + 0 posted; reason shown',
      });
      expect(observed).toBe('1 failed, 2 + 0 posted; reason shown');
    } finally {
      await s.close();
    }
  });
});
