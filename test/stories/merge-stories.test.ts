import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run-command.js';
import { runDueDigests } from '../../src/digest/send-digest.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackSink, createWebClient } from '../../src/slack/slack-sink.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

/**
 * Two reports of one launch that named different models of it (ERNIE X1, ERNIE 4.5) start two stories;
 * a later report naming both shows they were one event, and the stories merge. What referred to the
 * newer story — its id, a vote, a posted digest — keeps working.
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

const storyOf = async (guid: string) =>
  (
    (await t.services.sql.get(
      'SELECT si.story_id AS id FROM story_items si JOIN items i ON i.id = si.item_id WHERE i.guid = ?',
      [guid],
    )) as { id: number }
  ).id;

describe('merging stories that turn out to be one event', () => {
  it('folds the newer story into the older one and keeps its id, votes and digests working', async () => {
    t.clock.set('2025-03-16T10:00:00Z');
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
    const older = await storyOf('x1');
    const newer = await storyOf('45');
    expect(newer).not.toBe(older);
    expect(newer).toBeGreaterThan(older);

    // A digest lists both, and a member votes on the newer story.
    await t.services.channels.subscribe('C1', { digestTime: '12:00', timezone: 'UTC' }, 'test', t.clock.now());
    t.clock.set('2025-03-16T12:00:00Z');
    const sink = createSlackSink(createWebClient('xoxb-test-token', slack.apiUrl));
    await runDueDigests(t.services, sink, { sleep: async () => {}, paceMs: 0 });
    expect(slack.posts()).toHaveLength(1);
    await t.services.feedback.vote('C1', newer, 'U1', 1, t.clock.now());

    t.clock.set('2025-03-17T10:00:00Z');
    served.get('zh')?.push({
      title: '百度发布文心大模型4.5和文心大模型X1，免费开放',
      link: 'https://zh.example/both',
      guid: 'both',
      date: 'Mon, 17 Mar 2025 02:00:00 GMT',
      description: '3月16日，百度连续发布了文心大模型X1和文心大模型4.5，并向所有用户免费开放。',
    });
    const report = await runIngest(t.services, { all: true });
    expect(report.newStories).toBe(0);

    // One story, under the older id, with all three reports; the newer id resolves to it.
    expect(await storyOf('x1')).toBe(older);
    expect(await storyOf('45')).toBe(older);
    expect(await storyOf('both')).toBe(older);
    expect((await t.services.stories.get(newer))?.id).toBe(older);
    expect(await t.services.stories.get(older)).toMatchObject({ itemCount: 3, sourceCount: 3 });
    // The vote moved with it; the digest already posted is not posted again.
    expect(await t.services.feedback.scoreOf('C1', older)).toBe(1);
    await runDueDigests(t.services, sink, { sleep: async () => {}, paceMs: 0 });
    expect(slack.posts()).toHaveLength(1);
    // Search finds it once, and `stories --explain` says why each report is there.
    const explain = await runCommand(
      { services: t.services, actor: { id: 'cli', isAdmin: async () => true }, surface: 'cli' },
      ['stories', '--explain', String(newer)],
    );
    expect(explain.text).toContain(`#${older}`);
    expect(explain.text).toContain(`story #${newer} was merged into it`);
    expect(explain.text).toMatch(/same model ernie@(x1|4\.5)/);
    // Tags were recomputed for the merged story.
    const labs = (await t.services.entities.tagsOf(older)).filter((x) => x.kind === 'lab');
    expect(labs.map((x) => x.key)).toEqual(['baidu']);
  });
});
