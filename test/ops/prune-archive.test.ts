import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run-command.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { pruneArchive } from '../../src/ops/prune-archive.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, sqliteOf, testServices } from '../helpers/test-services.js';

let server: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;

beforeEach(async () => {
  const old = {
    title: 'Old: GPT-4.1 arrives',
    guid: 'old',
    link: 'https://n.example/old',
    date: 'Mon, 14 Apr 2025 10:00:00 GMT',
    description: 'OpenAI released GPT-4.1.',
  };
  const fresh = {
    title: 'New: DeepSeek-V4 arrives',
    guid: 'new',
    link: 'https://n.example/new',
    date: 'Sat, 28 Nov 2026 10:00:00 GMT',
    description: 'DeepSeek released V4.',
  };
  server = await startServer({ '/feed': serve(rss([old])) });
  t = await testServices({ RETENTION_DAYS: '180' });
  t.clock.set('2025-04-15T00:00:00Z');
  await t.services.feeds.add({ url: server.url('/feed') }, t.clock.now());
  await runIngest(t.services);
  await t.services.audit.record('cli:operator', 'feeds.add', {}, t.clock.now());
  await t.services.usage.record(
    { purpose: 'summarize', model: 'm', promptTokens: 1, completionTokens: 1, ok: true },
    t.clock.now(),
  );
  t.clock.set('2026-11-29T00:00:00Z');
  server.route('/feed', serve(rss([old, fresh])));
  await runIngest(t.services, { all: true });
});
afterEach(async () => {
  await t.close();
  await server.close();
});

describe('retention', () => {
  it('removes stories and items older than RETENTION_DAYS with their search entries, and keeps audit and usage', async () => {
    const count = async (sql: string) => ((await t.services.sql.get(sql)) as { n: number }).n;
    expect(await count('SELECT count(*) AS n FROM stories')).toBe(2);
    const r = await pruneArchive(t.services);
    expect(r).toMatchObject({ stories: 1, items: 1 });
    expect((await t.services.stories.listSince(new Date(0))).map((s) => s.title)).toEqual([
      expect.stringMatching(/DeepSeek/),
    ]);
    expect(await count('SELECT count(*) AS n FROM stories_fts WHERE rowid NOT IN (SELECT id FROM stories)')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM stories_fts')).toBe(1);
    // The archive's size search reads (0021) follows.
    expect(await count('SELECT n FROM story_count')).toBe(1);
    expect(await t.services.items.search('gpt')).toEqual([]);
    expect(await count('SELECT count(*) AS n FROM audit_log')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM llm_usage')).toBe(1);
    if (t.services.sql.engine === 'sqlite')
      expect(sqliteOf(t.services).pragma('auto_vacuum', { simple: true })).toBe(2); // incremental
    expect(await pruneArchive(t.services)).toMatchObject({ stories: 0, items: 0 });
  });

  it('stats shows sizes, counts and the retention window', async () => {
    const r = await runCommand(
      { services: t.services, actor: { id: 'op', isAdmin: async () => true }, surface: 'cli' },
      'stats',
    );
    expect(r.text).toMatch(/Retention: 180 days; oldest item 2025-04-14/);
    expect(r.json).toMatchObject({ counts: { stories: 2, items: 2, feeds: 1 } });
  });
});
