import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { silentLogger } from '../../src/core/logger.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { listedModel, startFakeOpenRouter } from '../helpers/fake-openrouter.js';
import { tempDir } from '../helpers/test-services.js';

let t: ReturnType<typeof tempDir>;
let or: Awaited<ReturnType<typeof startFakeOpenRouter>>;
beforeEach(async () => {
  t = tempDir();
  or = await startFakeOpenRouter({ key: 'k' });
});
afterEach(async () => {
  await or.close();
  t.cleanup();
});

describe('upgrading a database whose model list was a feed row', () => {
  it('turns the seeded model-list feed into the built-in source’s row, keeping its releases and items', async () => {
    const path = join(t.dir, 'old.sqlite');
    // The schema just before the built-in sources' migration.
    const ours = listMigrations().find((m) => m.name.endsWith('_builtin_sources.sql'))?.version as number;
    const older = join(t.dir, 'older/');
    mkdirSync(older);
    for (const m of listMigrations().filter((m) => m.version < ours)) writeFileSync(join(older, m.name), m.sql);
    const db = openDatabase(path, { migrate: false });
    migrate(db, pathToFileURL(older));
    const at = '2026-11-19T08:00:00.000Z';
    db.prepare(
      `INSERT INTO feeds (id, url, kind, title, next_check_at, created_at, etag) VALUES
        (1, 'https://example.com/rss', 'feed', 'Blog', ?, ?, NULL),
        (2, ?, 'openrouter-models', 'OpenRouter models', ?, ?, '"old-etag"')`,
    ).run(at, at, or.modelsUrl, at, at);
    db.prepare(
      `INSERT INTO items (id, feed_id, title, text, published_at, date_source, content_hash, first_seen_at)
       VALUES (10, 2, 'New model: Qwen3', 'text', ?, 'feed', 'openrouter:qwen/qwen3', ?)`,
    ).run(at, at);
    db.prepare(
      `INSERT INTO model_releases (feed_id, model_id, name, first_seen_at, baseline, item_id) VALUES
        (2, 'openai/gpt-5', 'GPT-5', ?, 1, NULL), (2, 'qwen/qwen3', 'Qwen3', ?, 0, 10)`,
    ).run(at, at);
    migrate(db);
    expect(db.prepare('SELECT id, kind, url, etag FROM feeds ORDER BY id').all()).toEqual([
      { id: 1, kind: 'feed', url: 'https://example.com/rss', etag: null },
      { id: 2, kind: 'builtin', url: 'builtin:openrouter-models', etag: null },
    ]);
    db.close();

    const clock = fakeClock('2026-11-20T08:00:00Z');
    const run = async (...argv: string[]) => {
      let out = '';
      const env = {
        DATABASE_PATH: path,
        ALLOW_PRIVATE_FEED_URLS: 'true',
        OPENROUTER_MODELS_URL: or.modelsUrl,
        OPENROUTER_RANKINGS_URL: 'off',
      };
      await runCli(argv, { out: (s) => (out += s), err: () => {} }, env, { logger: silentLogger, clock });
      return out;
    };
    // The row is no longer a feed: not listed, not removable, not polled as one.
    const feeds = JSON.parse(await run('feeds', '--json'));
    expect(JSON.stringify(feeds)).not.toContain('builtin:');
    expect(await run('feeds', 'remove', '2')).toBe('');
    // The built-in source keeps releasing against the models already known: only the new one is news.
    or.state.models = [
      listedModel('openai/gpt-5', 'GPT-5'),
      listedModel('qwen/qwen3', 'Qwen3'),
      listedModel('deepseek/deepseek-v4', 'DeepSeek V4'),
    ];
    const poll = JSON.parse(await run('poll', '--json'));
    expect(poll.feeds.map((f: { url: string }) => f.url)).toEqual(['https://example.com/rss']);
    expect(poll.sources[0]).toMatchObject({ name: 'openrouter-models', status: 'ok', newItems: 1, changes: 0 });
    const models = JSON.parse(await run('models', '7d', '--json'));
    // qwen/qwen3 was released the day before the upgrade; deepseek/deepseek-v4 is this poll's only release.
    expect(models.releases.map((r: { modelId: string; firstSeenAt: string }) => [r.modelId, r.firstSeenAt])).toEqual([
      ['deepseek/deepseek-v4', '2026-11-20T08:00:00.000Z'],
      ['qwen/qwen3', '2026-11-19T08:00:00.000Z'],
    ]);
    const check = openDatabase(path);
    expect(check.prepare('SELECT count(*) AS n FROM items WHERE feed_id = 2').get()).toEqual({ n: 2 });
    check.close();
  });

  it('refuses to add the built-in model list as a feed', async () => {
    let err = '';
    await runCli(
      ['feeds', 'add', or.modelsUrl],
      { out: () => {}, err: (s) => (err += s) },
      { DATABASE_PATH: join(t.dir, 'n.sqlite'), ALLOW_PRIVATE_FEED_URLS: 'true', OPENROUTER_MODELS_URL: or.modelsUrl },
      { logger: silentLogger },
    );
    expect(err).toMatch(/built-in source \(OPENROUTER_MODELS_URL\)/);
  });
});
