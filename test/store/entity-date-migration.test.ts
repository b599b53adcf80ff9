import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/ask/parse-query.js';
import { searchStories } from '../../src/ask/search-stories.js';
import { buildServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { OFFLINE_SOURCES, tempDir } from '../helpers/test-services.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('migration 0019 (an entity’s newest stories by index)', () => {
  it('gives an upgraded archive’s tag rows their stories’ dates, so a named lab still finds its stories', async () => {
    const path = join(t.dir, 'old.sqlite');
    const older = join(t.dir, 'older/');
    mkdirSync(older);
    for (const m of listMigrations().filter((m) => m.version < 19)) writeFileSync(join(older, m.name), m.sql);
    const db = openDatabase(path, { migrate: false });
    migrate(db, pathToFileURL(older));
    const at = (d: number) => new Date(Date.UTC(2026, 10, d)).toISOString();
    db.prepare("INSERT INTO entities (id, kind, key, name) VALUES (1, 'lab', 'deepseek', 'DeepSeek')").run();
    for (const d of [3, 9, 6]) {
      db.prepare(
        `INSERT INTO stories (id, first_seen_at, updated_at, published_at, last_item_at, title, item_count, source_count)
         VALUES (?, ?, ?, ?, ?, ?, 1, 1)`,
      ).run(d, at(d), at(d), at(d), at(d), `DeepSeek story of day ${d}`);
      db.prepare('INSERT INTO story_entities (story_id, entity_id) VALUES (?, 1)').run(d);
    }
    expect(migrate(db)).toEqual(
      listMigrations()
        .filter((m) => m.version >= 19)
        .map((m) => m.version),
    );
    expect(db.prepare('SELECT story_id, published_at FROM story_entities ORDER BY story_id').all()).toEqual([
      { story_id: 3, published_at: at(3) },
      { story_id: 6, published_at: at(6) },
      { story_id: 9, published_at: at(9) },
    ]);
    db.close();
    const s = await buildServices(loadConfig({ DATABASE_PATH: path, ...OFFLINE_SOURCES }), { logger: silentLogger });
    try {
      const hits = await searchStories(s, parseQuery('deepseek', s.matcher), { now: new Date(at(11)) });
      expect(hits.map((h) => h.id)).toEqual([9, 6, 3]);
      const week = await searchStories(s, parseQuery('deepseek this week', s.matcher), { now: new Date(at(11)) });
      expect(week.map((h) => h.id)).toEqual([9, 6]);
    } finally {
      await s.close();
    }
  });
});
