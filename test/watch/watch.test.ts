import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { runCommand } from '../../src/commands/run-command.js';
import { buildServices, type Services } from '../../src/compose.js';
import { silentLogger } from '../../src/core/logger.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { startServer as startService } from '../../src/main.js';
import { createSlackSink, createWebClient, WATCH_EVENT } from '../../src/slack/slack-sink.js';
import type { ModelChange, ModelChangeSource } from '../../src/watch/model-change-source.js';
import { runWatches } from '../../src/watch/run-watches.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { listedModel, startFakeOpenRouter } from '../helpers/fake-openrouter.js';
import { type FakeMessage, startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, startServer } from '../helpers/feed-server.js';
import { OFFLINE_SOURCES, rss, tempDir, testConfig } from '../helpers/test-services.js';

type Item = { title: string; guid: string; link: string; description?: string };
type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

let slack: FakeSlack;
let feeds: LocalServer;
let t: ReturnType<typeof tempDir>;
let clock: ReturnType<typeof fakeClock>;
/** What each feed currently serves; tests change it between polls. */
const served: Record<string, { title: string; items: Item[] }> = {};

beforeEach(async () => {
  databaseUrl = undefined;
  slack = await startFakeSlack();
  for (const k of Object.keys(served)) delete served[k];
  feeds = await startServer();
  for (const name of ['wire', 'tech', 'asia']) {
    served[name] = { title: name === 'wire' ? 'AI Wire' : name === 'tech' ? 'Tech Daily' : 'Asia AI', items: [] };
    feeds.route(`/${name}`, (_req, res) => {
      const f = served[name] as { title: string; items: Item[] };
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(f.items, f.title));
    });
  }
  t = tempDir();
  clock = fakeClock('2026-11-20T08:00:00Z');
});
afterEach(async () => {
  await slack.close();
  await feeds.close();
  t.cleanup();
});

const env = () => ({
  ...OFFLINE_SOURCES,
  DATABASE_PATH: join(t.dir, 'watch.sqlite'),
  ALLOW_PRIVATE_FEED_URLS: 'true',
  SLACK_BOT_TOKEN: 'xoxb-watch-test',
  SLACK_SIGNING_SECRET: 'secret',
  SLACK_API_URL: slack.apiUrl,
  LOG_LEVEL: 'error',
});

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) }, env(), {
    logger: silentLogger,
    clock,
  });
  return { code, out, err };
}

const watchPosts = (channel?: string): FakeMessage[] =>
  slack.messages.filter((m) => m.metadata?.event_type === WATCH_EVENT && (!channel || m.channel === channel));
const topLevel = (channel: string) => watchPosts(channel).filter((m) => !m.thread_ts);
const replies = (channel: string) => watchPosts(channel).filter((m) => m.thread_ts);

const kimi: Item = {
  title: 'Moonshot AI releases Kimi K2.7 with open weights',
  guid: 'kimi-1',
  link: 'https://wire.example/kimi-k2-7',
  description: 'Moonshot AI released Kimi K2.7, an open-weight model, today.',
};
const gpt: Item = {
  title: 'OpenAI ships GPT-5.5 to ChatGPT users',
  guid: 'gpt-1',
  link: 'https://wire.example/gpt-5-5',
  description: 'OpenAI released GPT-5.5 for ChatGPT.',
};

/** Services over the same database file, for driving the watch step directly. */
/** The test's database: one SQLite file, or on PostgreSQL one schema, kept across reopenings within a test. */
let databaseUrl: string | undefined;
const sameDatabase = () => ({
  DATABASE_PATH: join(t.dir, 'watch.sqlite'),
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
});
async function services(): Promise<Services> {
  const config = testConfig(t.dir, sameDatabase());
  databaseUrl = config.databaseUrl;
  return await buildServices(config, { logger: silentLogger, clock });
}
const sink = () => createSlackSink(createWebClient('xoxb-watch-test', slack.apiUrl));

describe('watch rules through real polls', () => {
  it('posts a matching story once to the watching channel, threads later sources, and leaves other channels alone', async () => {
    for (const name of ['wire', 'tech', 'asia'])
      expect((await cli('feeds', 'add', feeds.url(`/${name}`))).code).toBe(0);
    const added = await cli('watch', 'add', 'lab:moonshot', '--channel', 'C1');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/Watch #1 added for C1: lab:moonshot/);
    expect((await cli('subscribe', '--channel', 'C3', '08:00')).code).toBe(0); // digests, but no watch rule

    served.wire = { title: 'AI Wire', items: [kimi, gpt] };
    clock.advance(60_000);
    const first = await cli('poll', '--all');
    expect(first.out).toMatch(/Watch: 1 story announced, 0 threaded updates\./);
    expect(topLevel('C1')).toHaveLength(1);
    const post = topLevel('C1')[0] as FakeMessage;
    expect(post.text).toMatch(/Kimi K2\.7/);
    expect(post.unfurl_links).toBe(false);
    const blocks = JSON.stringify(post.blocks);
    expect(blocks).toContain('<https://wire.example/kimi-k2-7|Moonshot AI releases Kimi K2.7 with open weights>');
    expect(blocks).toMatch(/1 source: <https:\/\/wire\.example\/kimi-k2-7\|AI Wire>/);
    expect(blocks).toMatch(/Moonshot AI · China · open weights/);
    expect(blocks).toContain('watch #1: lab:moonshot');
    expect(slack.messages.filter((m) => m.channel === 'C3')).toEqual([]);

    // A second outlet reports the same release: one threaded reply, never a new top-level post.
    served.tech = {
      title: 'Tech Daily',
      items: [
        {
          title: 'Kimi K2.7 from Moonshot tops coding benchmarks',
          guid: 'kimi-2',
          link: 'https://tech.example/kimi',
          description: 'Moonshot AI Kimi K2.7 open weights benchmark results.',
        },
      ],
    };
    clock.advance(10 * 60_000);
    const second = await cli('poll', '--all', '--json');
    expect(JSON.parse(second.out).watch).toMatchObject({ announced: 0, updates: 1 });
    expect(topLevel('C1')).toHaveLength(1);
    expect(replies('C1')).toHaveLength(1);
    const reply = replies('C1')[0] as FakeMessage;
    expect(reply.thread_ts).toBe(post.ts);
    expect(reply.text).toBe('+1 source: Tech Daily');

    // More coverage soon after: nothing until a few hours have passed, then one reply with all of it.
    served.asia = {
      title: 'Asia AI',
      items: [
        {
          title: 'Kimi K2.7: Moonshot AI open-weight model explained',
          guid: 'kimi-3',
          link: 'https://asia.example/kimi',
          description: 'Moonshot AI Kimi K2.7 open weights.',
        },
      ],
    };
    clock.advance(10 * 60_000);
    await cli('poll', '--all');
    expect(replies('C1')).toHaveLength(1);
    clock.advance(3 * 3_600_000);
    await cli('poll', '--all');
    expect(replies('C1')).toHaveLength(2);
    expect(replies('C1')[1]?.text).toBe('+1 source: Asia AI');
    expect(topLevel('C1')).toHaveLength(1);
    expect(slack.messages.filter((m) => m.channel !== 'C1')).toEqual([]);

    // The channel's next digest marks the story as already posted by a watch.
    const preview = JSON.parse((await cli('digest', 'preview', '24h', '--channel', 'C1', '--json')).out);
    const kimiStory = preview.stories.find((x: { title: string }) => /Kimi/.test(x.title));
    expect(kimiStory.watched).toBe(true);
    expect(preview.stories.find((x: { title: string }) => /GPT/.test(x.title)).watched).toBe(false);
    expect(preview.text).toMatch(/Kimi K2\.7[\s\S]*\(posted here earlier by a watch rule\)/);
    expect(JSON.stringify(preview.blocks)).toContain('🔔 _posted here earlier by a watch rule_');
    const other = JSON.parse((await cli('digest', 'preview', '24h', '--channel', 'C3', '--json')).out);
    expect(other.stories.every((x: { watched: boolean }) => !x.watched)).toBe(true);
  });

  it('lists, audits and removes rules; refuses bad words, and a removed rule posts nothing', async () => {
    expect((await cli('feeds', 'add', feeds.url('/wire'))).code).toBe(0);
    for (const bad of [['kind:rumor'], ['lab:nosuchlab'], ['origin:mars'], ['-lab:meta'], ['model:x']]) {
      const r = await cli('watch', 'add', ...bad, '--channel', 'C1');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/watch: |Usage/);
    }
    expect((await cli('watch', 'add', 'kind:rumor', '--channel', 'C1')).err).toMatch(
      /kind:rumor is not a kind; use kind:release .* or kind:change/,
    );
    await cli('watch', 'add', 'lab:moonshot', '--channel', 'C1');
    await cli('watch', 'add', 'kind:change', 'origin:CN', '--channel', 'C1');
    await cli('watch', 'add', 'lab:openai', '--channel', 'C2');
    const list = await cli('watch', '--channel', 'C1');
    expect(list.out).toMatch(
      /Watch rules for C1 \(2\):\n {2}#1 lab:moonshot — added 0 min ago by cli:operator\n {2}#2 kind:change/,
    );
    expect(list.out).toMatch(/Note: kind:change needs the built-in model list, which is off/);
    expect(JSON.parse((await cli('watch', '--channel', 'C2', '--json')).out).rules).toMatchObject([
      { id: 3, channelId: 'C2', topics: 'lab:openai' },
    ]);
    expect((await cli('watch')).out).toMatch(/Watch rules for every channel \(3\)/);
    const wrong = await cli('watch', 'remove', '3', '--channel', 'C1');
    expect(wrong.err).toMatch(/Watch #3 belongs to C2; remove it there/);
    expect((await cli('watch', 'remove', '99', '--channel', 'C1')).err).toMatch(/There is no watch #99/);
    expect((await cli('watch', 'remove', '1', '--channel', 'C1')).out).toMatch(/Removed watch #1 \(lab:moonshot\)/);
    const audit = JSON.parse((await cli('audit', '--json')).out);
    expect(JSON.stringify(audit)).toMatch(/watch\.remove/);
    expect(JSON.stringify(audit)).toMatch(/watch\.add/);

    served.wire = { title: 'AI Wire', items: [kimi] };
    clock.advance(60_000);
    await cli('poll', '--all');
    expect(watchPosts()).toEqual([]);
  });

  it('excludes with -word, and a rule only sees stories first seen after it was added', async () => {
    const s = await services();
    try {
      await s.feeds.add({ url: feeds.url('/wire') }, clock.now());
      served.wire = {
        title: 'AI Wire',
        items: [
          {
            title: 'Qwen 3.6 released by Alibaba',
            guid: 'q',
            link: 'https://wire.example/q',
            description: 'Alibaba Qwen open model.',
          },
        ],
      };
      await runIngest(s, { all: true }); // before any rule: never announced
      await s.watch.addRule('C2', '', 'origin:CN -qwen', 'test', clock.now());
      clock.advance(60_000);
      served.wire = {
        title: 'AI Wire',
        items: [
          ...(served.wire?.items ?? []),
          {
            title: 'Alibaba Qwen 3.7 preview leaks',
            guid: 'q2',
            link: 'https://wire.example/q2',
            description: 'Alibaba Qwen preview leaked.',
          },
          {
            title: 'DeepSeek releases DeepSeek-V4 under MIT',
            guid: 'd',
            link: 'https://wire.example/d',
            description: 'DeepSeek released V4 with open weights.',
          },
        ],
      };
      await runIngest(s, { all: true });
      const report = await runWatches(s, sink());
      expect(report).toMatchObject({ announced: 1, failed: 0 });
      expect(topLevel('C2').map((m) => m.text)).toEqual([expect.stringMatching(/^🔔 DeepSeek releases DeepSeek-V4/)]);
      expect(await runWatches(s, sink())).toMatchObject({ announced: 0, updates: 0 });
      expect(topLevel('C2')).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('folds the overflow past the hourly cap into one message, then waits for the cap to free up', async () => {
    const s = await services();
    try {
      await s.feeds.add({ url: feeds.url('/wire') }, clock.now());
      await s.watch.addRule('C1', '', 'origin:CN', 'test', clock.now());
      clock.advance(60_000);
      // Seven unrelated stories, one per Chinese lab.
      const topics = [
        'DeepSeek opens an office in Singapore for enterprise customers',
        'Zhipu AI files for an initial public offering in Hong Kong',
        'Moonshot AI raises a new funding round led by Alibaba',
        'Baidu says its ERNIE Bot assistant passed 200 million users',
        'Tencent Hunyuan team hires a former Google researcher for video generation',
        'MiniMax opens a research office in Paris',
        'Regulators in Italy question Qwen maker Alibaba about user privacy',
      ];
      served.wire = {
        title: 'AI Wire',
        items: topics.map((title, i) => ({
          title,
          guid: `d${i}`,
          link: `https://wire.example/d${i}`,
          description: title,
        })),
      };
      await runIngest(s, { all: true });
      const stories = (await s.stories.listSince(new Date(0))).length;
      expect(stories).toBe(7);
      const report = await runWatches(s, sink(), { capPerHour: 4 });
      expect(report).toMatchObject({ announced: 3, folded: 1, deferred: 0 });
      const posts = topLevel('C1');
      expect(posts).toHaveLength(4);
      const fold = posts[3] as FakeMessage;
      expect(fold.text).toMatch(
        new RegExp(`^🔔 ${stories - 3} more stories matched this channel's watch rules \\(at most 4 posts an hour\\)`),
      );
      // Every story is accounted for once: three alone, the rest in the fold.
      const foldLines = JSON.stringify(fold.blocks).match(/• /g) ?? [];
      expect(foldLines).toHaveLength(stories - 3);

      // A new match within the hour waits; after the hour it is posted.
      served.wire.items.push({
        title: 'StepFun shows a humanoid robot demo in Shanghai',
        guid: 'late',
        link: 'https://wire.example/late',
        description: 'StepFun robot demo.',
      });
      clock.advance(10 * 60_000);
      await runIngest(s, { all: true });
      expect(await runWatches(s, sink(), { capPerHour: 4 })).toMatchObject({ announced: 0, deferred: 1 });
      expect(topLevel('C1')).toHaveLength(4);
      clock.advance(3_600_000);
      expect(await runWatches(s, sink(), { capPerHour: 4 })).toMatchObject({ announced: 1, deferred: 0 });
      expect(topLevel('C1').at(-1)?.text).toMatch(/StepFun shows a humanoid robot/);
    } finally {
      await s.close();
    }
  });

  it('kind:release posts new listings of the built-in model list; kind:change posts its changes, once each', async () => {
    const or = await startFakeOpenRouter({ key: 'k' });
    const s = await buildServices(
      testConfig(t.dir, { DATABASE_PATH: join(t.dir, 'watch.sqlite'), OPENROUTER_MODELS_URL: or.modelsUrl }),
      { logger: silentLogger, clock },
    );
    try {
      or.state.models = [
        listedModel('openai/gpt-5', 'OpenAI: GPT-5', { prompt: '0.00000125', completion: '0.00001' }),
        listedModel('deepseek/deepseek-v4', 'DeepSeek: V4', { prompt: '0.0000004', completion: '0.0000012' }),
      ];
      await s.feeds.add({ url: feeds.url('/wire') }, clock.now());
      await runIngest(s, { all: true }); // the first read of the list is a baseline
      await s.watch.addRule('C5', '', 'kind:release lab:moonshot', 'test', clock.now());
      await s.watch.addRule('C6', '', 'kind:change origin:CN', 'test', clock.now());
      clock.advance(60_000);
      or.state.models = [
        listedModel('openai/gpt-5', 'OpenAI: GPT-5', { prompt: '0.000001', completion: '0.00001' }),
        listedModel('deepseek/deepseek-v4', 'DeepSeek: V4', { prompt: '0.0000003', completion: '0.0000012' }),
        listedModel('moonshotai/kimi-k3', 'MoonshotAI: Kimi K3', {
          hf: 'moonshotai/Kimi-K3',
          created: Math.floor(clock.now().getTime() / 1000),
        }),
      ];
      served.wire = {
        title: 'AI Wire',
        items: [
          {
            title: 'Moonshot AI raises a new funding round',
            guid: 'm',
            link: 'https://wire.example/m',
            description: 'Moonshot AI funding news.',
          },
        ],
      };
      await runIngest(s, { all: true });
      const report = await runWatches(s, sink());
      expect(report).toMatchObject({ announced: 1, changes: 1, failed: 0 });
      // C5: the new listing, not the Moonshot news story; C6: the Chinese model's price change, not OpenAI's.
      expect(topLevel('C5').map((m) => m.text)).toEqual([expect.stringMatching(/^🔔 New model: MoonshotAI: Kimi K3/)]);
      expect(JSON.stringify(topLevel('C5')[0]?.blocks)).toContain('New listing');
      expect(topLevel('C6').map((m) => m.text)).toEqual([
        '🔔 Model change: DeepSeek: V4 — deepseek/deepseek-v4: price $0.40/$1.20 → $0.30/$1.20 per million tokens (input/output)',
      ]);
      expect(JSON.stringify(topLevel('C6')[0]?.blocks)).toContain(
        '<https://openrouter.ai/deepseek/deepseek-v4|DeepSeek: V4>',
      );
      expect(await runWatches(s, sink())).toMatchObject({ announced: 0, changes: 0 });
      expect(watchPosts()).toHaveLength(2);
      // The listing: no note about change tracking, which is on.
      const listing = await runCommand(
        { services: s, actor: { id: 'op', isAdmin: async () => true }, channelId: 'C6', surface: 'cli' },
        ['watch'],
      );
      expect(listing.text).not.toMatch(/Note: kind:change/);
    } finally {
      await s.close();
      await or.close();
    }
  });

  it('takes model-list changes through one small port (ModelChangeSource)', async () => {
    const s = await services();
    try {
      await s.watch.addRule('C6', '', 'kind:change lab:deepseek', 'test', clock.now());
      clock.advance(60_000);
      const change: ModelChange = {
        id: 7,
        modelId: 'deepseek/deepseek-v4',
        name: 'DeepSeek V4',
        labId: 'deepseek',
        origin: 'CN',
        openness: 'open-weight',
        change: 'deprecation',
        detail: 'deprecated on 2027-02-01',
        url: null,
        seenAt: clock.now().toISOString(),
      };
      const source: ModelChangeSource = {
        changesBetween: async (from, to) =>
          change.seenAt >= from.toISOString() && change.seenAt < to.toISOString() ? [change] : [],
      };
      expect(await runWatches(s, sink(), { changes: source })).toMatchObject({ changes: 1 });
      expect(await runWatches(s, sink(), { changes: source })).toMatchObject({ changes: 0 });
      expect(topLevel('C6').map((m) => m.text)).toEqual(['🔔 Model change: DeepSeek V4 — deprecated on 2027-02-01']);
    } finally {
      await s.close();
    }
  });

  it('keeps one announcement per event when a story is merged into another (reassignStory)', async () => {
    const s = await services();
    try {
      await s.feeds.add({ url: feeds.url('/wire') }, clock.now());
      await s.watch.addRule('C1', '', 'lab:moonshot', 'test', clock.now());
      clock.advance(60_000);
      served.wire = { title: 'AI Wire', items: [kimi] };
      await runIngest(s, { all: true });
      await runWatches(s, sink());
      // C2 starts watching after the first story: it only hears of the second.
      clock.advance(60_000);
      await s.watch.addRule('C2', '', 'lab:moonshot', 'test', clock.now());
      clock.advance(60_000);
      served.wire.items.push({
        title: 'Moonshot AI raises a new funding round led by Alibaba',
        guid: 'fund',
        link: 'https://wire.example/fund',
        description: 'Moonshot AI funding investors valuation.',
      });
      await runIngest(s, { all: true });
      await runWatches(s, sink());
      const [older, newer] = (await s.stories.listSince(new Date(0))).map((x) => x.id).sort((a, b) => a - b) as [
        number,
        number,
      ];
      expect(topLevel('C1')).toHaveLength(2);
      expect(topLevel('C2')).toHaveLength(1);
      // The lead's merge moves the newer story's items into the older one and calls reassignStory.
      await s.sql.write(async (tx) => {
        await tx.run('UPDATE story_items SET story_id = ? WHERE story_id = ?', [older, newer]);
        await s.watch.reassignStory(newer, older);
        await tx.run('DELETE FROM stories WHERE id = ?', [newer]);
      });
      expect(await s.watch.claimedStories('C1', [older, newer])).toEqual(new Set([older]));
      expect(await s.watch.claimedStories('C2', [older, newer])).toEqual(new Set([older]));
      clock.advance(60_000);
      await runWatches(s, sink());
      // C1 had seen both: nothing new. C2 gets the older story's source as a reply in its thread.
      expect(topLevel('C1')).toHaveLength(2);
      expect(replies('C1')).toEqual([]);
      expect(topLevel('C2')).toHaveLength(1);
      expect(replies('C2').map((m) => [m.thread_ts, m.text])).toEqual([[topLevel('C2')[0]?.ts, '+1 source: AI Wire']]);
    } finally {
      await s.close();
    }
  });

  it('runs after every poll under serve, posting through the Slack sink', async () => {
    const s = await services();
    await s.feeds.add({ url: feeds.url('/wire') }, clock.now());
    await s.watch.addRule('C1', '', 'lab:moonshot', 'test', clock.now());
    await s.close();
    clock.advance(60_000);
    served.wire = { title: 'AI Wire', items: [kimi, gpt] };
    const server = await startService(
      testConfig(t.dir, {
        ...sameDatabase(),
        SLACK_BOT_TOKEN: 'xoxb-watch-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
      }),
      { logger: silentLogger, clock },
    );
    try {
      const end = Date.now() + 10_000;
      while (topLevel('C1').length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(topLevel('C1').map((m) => m.text)).toEqual([expect.stringMatching(/^🔔 Moonshot AI releases Kimi K2\.7/)]);
    } finally {
      await server.stop();
    }
  });
});
