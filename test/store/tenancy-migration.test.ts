import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEAM } from '../../src/core/team.js';
import { ChannelRepository } from '../../src/store/channel-repository.js';
import { DigestRepository } from '../../src/store/digest-repository.js';
import { FeedRepository } from '../../src/store/feed-repository.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { WatchRepository } from '../../src/store/watch-repository.js';
import { sqlOf, tempDir } from '../helpers/test-services.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('migration 0017 (tenancy)', () => {
  it('gives an upgraded database to the default team (and installed teams their own rows), so it behaves as before', async () => {
    const path = join(t.dir, 'old.sqlite');
    const older = join(t.dir, 'older/');
    mkdirSync(older);
    for (const m of listMigrations().filter((m) => m.version < 17)) writeFileSync(join(older, m.name), m.sql);
    const db = openDatabase(path, { migrate: false });
    migrate(db, pathToFileURL(older));
    const at = '2026-11-19T08:00:00.000Z';
    db.prepare(
      `INSERT INTO feeds (id, url, kind, title, next_check_at, created_at) VALUES
         (1, 'https://example.com/rss', 'feed', 'Blog', ?, ?), (2, 'builtin:openrouter-models', 'builtin', 'OR', ?, ?)`,
    ).run(at, at, at, at);
    // A single-workspace deployment stored the payload's team id; an OAuth one stored an installed team's.
    db.prepare(
      `INSERT INTO channels (id, team_id, digest_time, created_at, updated_at) VALUES ('C1', 'T0PAYLOAD', '08:00', ?, ?),
         ('C2', 'TINST', '09:00', ?, ?)`,
    ).run(at, at, at, at);
    db.prepare(
      `INSERT INTO slack_installations (install_key, team_id, sealed, installed_at, updated_at) VALUES ('TINST', 'TINST', 'x', ?, ?)`,
    ).run(at, at);
    db.prepare(
      `INSERT INTO digests (channel_id, window_key, window_from, window_to, status, created_at) VALUES ('C1', '2026-11-19', ?, ?, 'posted', ?)`,
    ).run(at, at, at);
    db.prepare(
      `INSERT INTO watch_rules (channel_id, team_id, topics, created_by, created_at) VALUES ('C1', NULL, 'lab:deepseek', 'cli', ?)`,
    ).run(at);
    expect(migrate(db)[0]).toBe(17);

    const sql = sqlOf(db);
    const feeds = new FeedRepository(sql);
    // Every feed stays subscribed for the default team and for each installed team; built-in rows are not feeds.
    expect((await feeds.list()).map((f) => f.id)).toEqual([1]);
    expect((await feeds.list('TINST')).map((f) => f.id)).toEqual([1]);
    expect((await feeds.due(new Date('2026-11-20T00:00:00Z'))).map((f) => f.id)).toEqual([1]);
    const channels = new ChannelRepository(sql);
    expect((await channels.get('C1'))?.teamId).toBe(DEFAULT_TEAM);
    expect((await channels.get('C2', 'TINST'))?.digestTime).toBe('09:00');
    expect(await channels.get('C2')).toBeUndefined();
    const digests = new DigestRepository(sql);
    expect((await digests.find('C1', '2026-11-19'))?.status).toBe('posted');
    expect((await new WatchRepository(sql).rules('C1')).map((r) => r.topics)).toEqual(['lab:deepseek']);
    db.close();
  });
});
