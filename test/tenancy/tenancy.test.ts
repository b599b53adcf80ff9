import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { suggestQuestions } from '../../src/ask/suggest-questions.js';
import { createTerminalSink } from '../../src/cli/terminal-sink.js';
import { runCommand } from '../../src/commands/run-command.js';
import type { CommandContext, Reply } from '../../src/commands/types.js';
import { DEFAULT_TEAM } from '../../src/core/team.js';
import { runDueDigests } from '../../src/digest/send-digest.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { runWatches } from '../../src/watch/run-watches.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { normalizedItem } from '../helpers/normalized-item.js';
import { rss, testServices } from '../helpers/test-services.js';

/**
 * Tenancy: two workspaces (TA, TB) on one database. Each command that lists or changes something is
 * run for both; B never sees or changes A's data. A feed both subscribe to is fetched once per poll
 * and its story shows for both; after B unsubscribes it, B's digest no longer carries it.
 */
let feeds: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;
const A = 'TA';
const B = 'TB';
const item = (title: string, guid: string) => ({ title, guid, link: `https://n.example/${guid}`, description: title });
const posts: Record<string, string[]> = {};
const sinkOf = (team: string) =>
  createTerminalSink((line) => {
    posts[team] = [...(posts[team] ?? []), line];
  });
const ctx = (team: string, channelId?: string): CommandContext => ({
  services: t.services,
  actor: { id: `admin-${team}`, isAdmin: async () => true },
  channelId,
  teamId: team,
  surface: 'cli',
  sink: sinkOf(team),
});
const run = async (team: string, words: string, channelId?: string): Promise<Reply> =>
  await runCommand(ctx(team, channelId), words);
const json = async <T>(team: string, words: string, channelId?: string): Promise<T> =>
  (await run(team, words, channelId)).json as T;
const fetches = (path: string) => feeds.requests.filter((r) => r.path === path).length;
const feedUrls = async (team: string) =>
  (await json<{ feeds: { url: string }[] }>(team, 'feeds')).feeds.map((f) => new URL(f.url).pathname).sort();

beforeEach(async () => {
  for (const k of Object.keys(posts)) delete posts[k];
  feeds = await startServer({
    '/a': serve(rss([item('Mistral AI ships Mistral Large 3', 'a1')], 'Alpha wire')),
    '/b': serve(rss([item('Moonshot releases Kimi K3 open weights', 'b1')], 'Beta wire')),
    '/shared': serve(rss([item('DeepSeek releases DeepSeek-V4 under MIT', 's1')], 'Shared wire')),
  });
  t = await testServices();
  t.clock.set('2026-11-29T06:00:00Z');
  expect((await run(A, `feeds add ${feeds.url('/a')}`)).text).toMatch(/^Added/);
  expect((await run(A, `feeds add ${feeds.url('/shared')}`)).text).toMatch(/^Added/);
  expect((await run(B, `feeds add ${feeds.url('/b')}`)).text).toMatch(/^Added/);
  // Already fetched for A: B only subscribes, and the feed row stays one per URL.
  expect((await run(B, `feeds add ${feeds.url('/shared')}`)).text).toMatch(/^Added/);
});
afterEach(async () => {
  await t.close();
  await feeds.close();
});

describe('tenancy: feeds', () => {
  it('a team lists, exports, removes and imports only its own subscriptions', async () => {
    expect(await feedUrls(A)).toEqual(['/a', '/shared']);
    expect(await feedUrls(B)).toEqual(['/b', '/shared']);
    expect(await feedUrls(DEFAULT_TEAM)).toEqual([]);
    expect(fetches('/shared')).toBe(1);
    expect((await t.services.sql.get<{ n: number }>('SELECT count(*) AS n FROM feeds'))?.n).toBe(3);

    const exportA = (await json<{ opml: string }>(A, 'feeds export')).opml;
    expect(exportA).toContain(feeds.url('/a'));
    expect(exportA).not.toContain(feeds.url('/b'));
    // B cannot remove (or resume) A's feed: to B it does not exist.
    const aId = (await t.services.feeds.getByUrl(feeds.url('/a')))?.id as number;
    const refused = await run(B, `feeds remove ${aId}`);
    expect(refused.exitCode).toBe(1);
    expect(refused.text).toMatch(/No feed/);
    expect((await run(B, `feeds resume ${aId}`)).exitCode).toBe(1);
    expect(await feedUrls(A)).toEqual(['/a', '/shared']);

    const opml = `<opml version="2.0"><body><outline type="rss" xmlUrl="${feeds.url('/a')}"/><outline type="rss" xmlUrl="${feeds.url('/new')}"/></body></opml>`;
    const imported = await json<{ added: unknown[]; alreadySubscribed: string[] }>(B, `feeds import ${opml}`);
    expect(imported.added).toHaveLength(2);
    expect(await feedUrls(B)).toEqual(['/a', '/b', '/new', '/shared']);
    expect(await feedUrls(A)).toEqual(['/a', '/shared']);
    // A's import of a URL it has says so; B's subscriptions are not A's.
    const again = await json<{ added: unknown[]; alreadySubscribed: string[] }>(A, `feeds import ${opml}`);
    expect(again.alreadySubscribed).toEqual([feeds.url('/a')]);
  });

  it('fetches a feed two teams subscribe to once per poll, and stops polling a feed no team subscribes to', async () => {
    t.clock.set('2026-11-29T07:00:00Z');
    const before = { shared: fetches('/shared'), b: fetches('/b') };
    await runIngest(t.services, { all: true });
    expect(fetches('/shared') - before.shared).toBe(1);
    expect(fetches('/b') - before.b).toBe(1);
    expect((await run(B, 'feeds remove /b'.replace('/b', feeds.url('/b')))).text).toMatch(/Removed/);
    await runIngest(t.services, { all: true });
    expect(fetches('/b') - before.b).toBe(1);
    expect(fetches('/shared') - before.shared).toBe(2);
  });
});

describe('tenancy: what a team reads', () => {
  it('search, ask, stories, trends and digest preview show the shared story to both and each team its own', async () => {
    const titles = async (team: string, words: string) =>
      (await json<{ results: { title: string }[] }>(team, words)).results.map((r) => r.title);
    expect(await titles(A, 'search deepseek')).toEqual(['DeepSeek releases DeepSeek-V4 under MIT']);
    expect(await titles(B, 'search deepseek')).toEqual(['DeepSeek releases DeepSeek-V4 under MIT']);
    expect(await titles(B, 'search kimi')).toEqual(['Moonshot releases Kimi K3 open weights']);
    expect(await titles(A, 'search kimi')).toEqual([]);
    expect(await titles(B, 'search mistral')).toEqual([]);
    expect(await titles(A, 'search mistral')).toEqual(['Mistral AI ships Mistral Large 3']);
    // A word in few stories is searched by rank, and a CJK run by substring, each within the team's stories.
    expect(await titles(A, 'search large')).toEqual(['Mistral AI ships Mistral Large 3']);
    expect(await titles(B, 'search large')).toEqual([]);
    expect(await titles(B, 'search mit')).toEqual(['DeepSeek releases DeepSeek-V4 under MIT']);
    expect(await titles(A, 'search 发布')).toEqual([]);
    expect((await run(B, 'ask what did Mistral ship?')).text).not.toMatch(/Mistral Large 3/);
    expect((await run(A, 'ask what did Mistral ship?')).text).toMatch(/Mistral Large 3/);

    const stories = async (team: string) =>
      (
        await json<{ stories: { id: number; title: string; sources: { feed: string }[] }[] }>(
          team,
          'stories --since 24h',
        )
      ).stories;
    expect((await stories(A)).map((s) => s.title).sort()).toEqual([
      'DeepSeek releases DeepSeek-V4 under MIT',
      'Mistral AI ships Mistral Large 3',
    ]);
    const mistral = (await stories(A)).find((s) => s.title.startsWith('Mistral'))?.id;
    expect((await run(B, `stories --explain ${mistral}`)).exitCode).toBe(1);
    t.clock.set('2026-11-29T07:00:00Z');
    expect((await json<{ stories: number }>(B, 'trends 7d')).stories).toBe(2);
    expect((await json<{ stories: number }>(A, 'trends 7d')).stories).toBe(2);
    expect((await json<{ stories: number }>(DEFAULT_TEAM, 'trends 7d')).stories).toBe(0);
    // The assistant pane's suggested questions name labs from the team's own stories only.
    const suggested = async (team: string) =>
      (await suggestQuestions(t.services, 'en', team)).map((q) => q.message).join(' | ');
    expect(await suggested(A)).toMatch(/Mistral/);
    expect(await suggested(B)).not.toMatch(/Mistral/);
    expect(await suggested(B)).toMatch(/Moonshot|Kimi/);

    const preview = async (team: string) =>
      (await json<{ stories: { title: string }[] }>(team, 'digest preview 24h')).stories.map((s) => s.title).sort();
    expect(await preview(A)).toEqual(['DeepSeek releases DeepSeek-V4 under MIT', 'Mistral AI ships Mistral Large 3']);
    expect(await preview(B)).toEqual([
      'DeepSeek releases DeepSeek-V4 under MIT',
      'Moonshot releases Kimi K3 open weights',
    ]);

    // After B unsubscribes the shared feed, B's digest no longer carries its story; A's still does.
    expect((await run(B, `feeds remove ${feeds.url('/shared')}`)).text).toMatch(/Removed/);
    expect(await preview(B)).toEqual(['Moonshot releases Kimi K3 open weights']);
    expect(await preview(A)).toEqual(['DeepSeek releases DeepSeek-V4 under MIT', 'Mistral AI ships Mistral Large 3']);
  });
});

describe('tenancy: channels, digests, watch rules, votes, audit and usage', () => {
  it('the same channel id in two teams is two channels, each with its own settings and digest', async () => {
    expect((await run(A, 'subscribe 08:00 UTC', 'C1')).text).toMatch(/Subscribed/);
    expect((await run(B, 'subscribe 09:00 UTC lab:moonshot', 'C1')).text).toMatch(/Subscribed/);
    expect((await run(B, 'settings language es', 'C1')).text).toMatch(/Saved/);
    expect((await t.services.channels.get('C1', A))?.language).toBeNull();
    expect((await t.services.channels.get('C1', B))?.language).toBe('es');
    expect((await json<{ channel: { digestTime: string } }>(A, 'settings', 'C1')).channel.digestTime).toBe('08:00');

    t.clock.set('2026-11-29T08:01:00Z');
    const sent = await runDueDigests(t.services, sinkOf('unused'), { sinkFor: sinkOf });
    expect(sent.map((x) => [x.team, x.channel, x.result.status])).toEqual([[A, 'C1', 'posted']]);
    expect(posts[A]?.join('\n')).toMatch(/Mistral Large 3/);
    expect(posts[A]?.join('\n')).not.toMatch(/Kimi K3/);
    t.clock.set('2026-11-29T09:01:00Z');
    expect((await runDueDigests(t.services, sinkOf('unused'), { sinkFor: sinkOf })).map((x) => x.team)).toEqual([B]);
    expect(posts[B]?.join('\n')).toMatch(/Kimi K3/);
    expect(posts[B]?.join('\n')).not.toMatch(/Mistral Large 3/);
    expect(posts.unused).toBeUndefined();
    expect(await t.services.digests.find('C1', '2026-11-29', A)).toBeDefined();
    expect(await t.services.digests.find('C1', '2026-11-29', B)).toBeDefined();

    // digest now posts the team's own digest through the team's sink.
    expect((await run(B, 'digest now 24h', 'C1')).text).toMatch(/Digest posted to C1/);
    expect(posts[B]?.at(-1)).not.toMatch(/Mistral/);

    expect((await run(B, 'unsubscribe', 'C1')).text).toMatch(/Unsubscribed/);
    expect((await t.services.channels.get('C1', A))?.subscribed).toBe(true);
  });

  it('watch rules, votes, audit and usage stay in their team', async () => {
    t.clock.set('2026-11-29T06:30:00Z');
    const added = await json<{ rule: { id: number } }>(A, 'watch add lab:mistral lab:deepseek', 'C1');
    const ruleId = added.rule.id;
    expect((await json<{ rules: unknown[] }>(B, 'watch', 'C1')).rules).toEqual([]);
    expect((await json<{ rules: unknown[] }>(B, 'watch')).rules).toEqual([]);
    expect((await run(B, `watch remove ${ruleId}`, 'C1')).exitCode).toBe(1);
    expect((await json<{ rules: unknown[] }>(A, 'watch', 'C1')).rules).toHaveLength(1);

    // A later story from B's own feed never reaches A's rule; the shared one does, through A's sink.
    feeds.route('/b', serve(rss([item('Mistral AI open-sources Mistral Small 4', 'b2')], 'Beta wire')));
    feeds.route('/shared', serve(rss([item('DeepSeek ships DeepSeek-V4.1 with longer context', 's2')], 'Shared')));
    t.clock.set('2026-11-29T07:00:00Z');
    await runIngest(t.services, { all: true });
    const report = await runWatches(t.services, sinkOf('unused'), { sinkFor: sinkOf, changes: null });
    expect(report.announced).toBe(1);
    expect(posts[A]?.join('\n')).toMatch(/DeepSeek-V4\.1/);
    expect(posts[A]?.join('\n')).not.toMatch(/Mistral Small 4/);
    expect(posts[B]).toBeUndefined();

    const story = (await t.services.stories.listSince(new Date(0), 10, A))[0]?.id as number;
    await t.services.feedback.vote('C1', story, 'U1', 1, t.clock.now(), A);
    expect(await t.services.feedback.scoreOf('C1', story, A)).toBe(1);
    expect(await t.services.feedback.scoreOf('C1', story, B)).toBe(0);

    const audit = async (team: string) =>
      (await json<{ entries: { action: string }[] }>(team, 'audit')).entries.map((e) => e.action);
    expect(await audit(A)).toContain('watch.add');
    expect(await audit(B)).not.toContain('watch.add');
    expect(await audit(B)).toContain('feeds.add');

    await t.services.usage.record(
      { purpose: 'ask', team: A, model: 'm', promptTokens: 100, completionTokens: 10, ok: true },
      t.clock.now(),
    );
    await t.services.usage.record(
      { purpose: 'summarize', model: 'm', promptTokens: 7, completionTokens: 3, ok: true },
      t.clock.now(),
    );
    const usage = async (team: string) =>
      (await json<{ today: { purpose: string; promptTokens: number }[] }>(team, 'usage')).today;
    expect(await usage(A)).toEqual([
      expect.objectContaining({ purpose: 'ask', promptTokens: 100 }),
      expect.objectContaining({ purpose: 'summarize', promptTokens: 7 }),
    ]);
    expect(await usage(B)).toEqual([expect.objectContaining({ purpose: 'summarize', promptTokens: 7 })]);
  });
});

describe('tenancy: search behind another team’s hits', () => {
  it('finds a team’s story even when more than the search caps of another team’s stories match first', async () => {
    const s = t.services;
    const now = new Date('2026-11-29T06:00:00Z');
    const { feed: many } = await s.feeds.add({ url: 'https://many.example/feed' }, now, A);
    const { feed: one } = await s.feeds.add({ url: 'https://one.example/feed' }, now, B);
    // 520 stories of team A's, newer and with the word twice, ahead of B's one story in both of the
    // word searches (ranked: 500 best; every word: 300 newest).
    const store = async (feedId: number, n: number, title: (i: number) => string, at: (i: number) => Date) => {
      const items = Array.from({ length: n }, (_, i) => ({
        ...normalizedItem(i, { title: title(i), text: `${title(i)}.`, publishedAt: at(i).toISOString() }),
        guid: `${feedId}-${i}`,
        url: `https://n.example/${feedId}/${i}`,
        canonicalUrl: `https://n.example/${feedId}/${i}`,
        contentHash: `${feedId}-${i}`,
      }));
      const ids = await s.items.insertMany(feedId, items, now);
      const stories: number[] = [];
      for (const [i, id] of ids.entries()) {
        const it = items[i] as (typeof items)[number];
        stories.push(await s.stories.create({ id, title: it.title, publishedAt: it.publishedAt, feedId }, now));
      }
      await s.stories.reindexMany(stories);
    };
    await store(
      many.id,
      520,
      (i) => `Tokamak tokamak record ${i}`,
      (i) => new Date(now.getTime() - i * 60_000),
    );
    await store(
      one.id,
      1,
      () => 'A long survey of fusion startups, their funding, their machines and one tokamak among many designs',
      () => new Date('2026-11-20T06:00:00Z'),
    );
    const titles = async (team: string) =>
      (await json<{ results: { title: string }[] }>(team, 'search tokamak')).results.map((r) => r.title);
    expect(await titles(B)).toEqual([
      'A long survey of fusion startups, their funding, their machines and one tokamak among many designs',
    ]);
    expect((await titles(A)).length).toBeGreaterThan(0);
    expect(await titles(A)).not.toContain(
      'A long survey of fusion startups, their funding, their machines and one tokamak among many designs',
    );
  });
});
