import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedRepository } from '../../src/store/feed-repository.js';
import { ItemRepository } from '../../src/store/item-repository.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { StoryRepository } from '../../src/store/story-repository.js';
import { ITEM_NOW, normalizedItem } from '../helpers/normalized-item.js';
import { sqlOf, tempDir } from '../helpers/test-services.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const now = ITEM_NOW;
const item = normalizedItem;

describe('database', () => {
  it('opens in WAL mode with foreign keys and a busy timeout, at the latest schema', () => {
    const db = openDatabase(join(t.dir, 'a.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(listMigrations().at(-1)?.version);
    db.close();
  });

  it('applies migrations once; a second run applies nothing', () => {
    const db = openDatabase(join(t.dir, 'a.sqlite'), { migrate: false });
    expect(migrate(db).length).toBe(listMigrations().length);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('upgrades a version-7 database holding items to the local item indexes, keeping its items and rules', async () => {
    const v7 = join(t.dir, 'v7/');
    mkdirSync(v7);
    for (const m of listMigrations().filter((m) => m.version <= 7)) writeFileSync(join(v7, m.name), m.sql);
    const db = openDatabase(join(t.dir, 'old.sqlite'), { migrate: false });
    migrate(db, pathToFileURL(v7));
    // Rows written as version 7 wrote them (today's repositories expect today's schema).
    const feed = {
      id: Number(
        db
          .prepare("INSERT INTO feeds (url, next_check_at, created_at) VALUES ('https://e.com/feed', ?, ?)")
          .run(now.toISOString(), now.toISOString()).lastInsertRowid,
      ),
    };
    for (const it of [item(1), item(2)]) {
      const id = db
        .prepare(
          `INSERT INTO items (feed_id, guid, url, canonical_url, title, text, language, published_at, date_source, content_hash, first_seen_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          feed.id,
          it.guid,
          it.url,
          it.canonicalUrl,
          it.title,
          it.text,
          it.language,
          it.publishedAt,
          it.dateSource,
          it.contentHash,
          now.toISOString(),
        ).lastInsertRowid;
      db.prepare('INSERT INTO items_fts (rowid, title, text) VALUES (?, ?, ?)').run(id, it.title, it.text);
    }

    expect(migrate(db)).toEqual(listMigrations().flatMap((m) => (m.version > 7 ? [m.version] : [])));
    const indexes = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['items_first_seen', 'items_feed_link', 'items_url']));
    expect(indexes).not.toContain('items_canonical');
    expect(indexes).not.toContain('items_published');
    const items = new ItemRepository(sqlOf(db));
    expect(await items.count()).toBe(2);
    // Same link and title under a regenerated guid is still the same item after the upgrade.
    expect(await items.insertMany(feed.id, [item(1, { guid: 'new', contentHash: 'other' })], now)).toHaveLength(0);
    expect((await items.search('qwen')).length).toBe(2);
    db.close();
  });

  it('upgrades a version-13 database with stories: story items learn their date, unplaced items are queued', async () => {
    const v13 = join(t.dir, 'v13/');
    mkdirSync(v13);
    for (const m of listMigrations().filter((m) => m.version <= 13)) writeFileSync(join(v13, m.name), m.sql);
    const db = openDatabase(join(t.dir, 'old13.sqlite'), { migrate: false });
    migrate(db, pathToFileURL(v13));
    const at = now.toISOString();
    const feed = (url: string) =>
      Number(
        db.prepare('INSERT INTO feeds (url, next_check_at, created_at) VALUES (?, ?, ?)').run(url, at, at)
          .lastInsertRowid,
      );
    const [f1, f2] = [feed('https://a.example/feed'), feed('https://b.example/feed')];
    const addItem = (feedId: number, n: number, published: string) =>
      Number(
        db
          .prepare(
            `INSERT INTO items (feed_id, guid, title, text, published_at, date_source, content_hash, first_seen_at)
             VALUES (?, ?, ?, 'text', ?, 'feed', ?, ?)`,
          )
          .run(feedId, `g${n}`, `Item ${n}`, published, `h${n}`, at).lastInsertRowid,
      );
    const placed = [addItem(f1, 1, '2026-11-20T07:00:00.000Z'), addItem(f2, 2, '2026-11-20T06:00:00.000Z')];
    const waiting = addItem(f1, 3, '2026-11-20T07:30:00.000Z');
    const story = Number(
      db
        .prepare(
          `INSERT INTO stories (first_seen_at, updated_at, published_at, last_item_at, title, item_count, source_count)
           VALUES (?, ?, ?, ?, 'Story', 2, 2)`,
        )
        .run(at, at, at, at).lastInsertRowid,
    );
    for (const [i, id] of placed.entries())
      db.prepare(
        "INSERT INTO story_items (story_id, item_id, feed_id, reason, joined_at) VALUES (?, ?, ?, 'new', ?)",
      ).run(story, id, i === 0 ? f1 : f2, at);

    expect(migrate(db)[0]).toBe(14);
    expect(db.prepare('SELECT item_id, feed_id, published_at FROM story_items ORDER BY item_id').all()).toEqual([
      { item_id: placed[0], feed_id: f1, published_at: '2026-11-20T07:00:00.000Z' },
      { item_id: placed[1], feed_id: f2, published_at: '2026-11-20T06:00:00.000Z' },
    ]);
    const items = new ItemRepository(sqlOf(db));
    expect((await items.unclustered()).map((i) => i.id)).toEqual([waiting]);
    // Earliest first, through the new index.
    const stories = new StoryRepository(sqlOf(db));
    expect((await stories.sources(story)).map((x) => x.itemId)).toEqual([placed[1], placed[0]]);
    // Joining the waiting item (its feed is already a source) adds an item, not a source, and dequeues it.
    await stories.join(
      story,
      { id: waiting, publishedAt: '2026-11-20T07:30:00.000Z', feedId: f1 },
      'similar',
      0.5,
      null,
      now,
    );
    expect(await stories.get(story)).toMatchObject({ itemCount: 3, sourceCount: 2 });
    expect(await items.unclustered()).toEqual([]);
    db.close();
  });

  it('migration files are numbered without gaps', () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('deduplicates items per feed by hash, and by canonical URL with the same title', async () => {
    const db = openDatabase(join(t.dir, 'a.sqlite'));
    const feeds = new FeedRepository(sqlOf(db));
    const items = new ItemRepository(sqlOf(db));
    const { feed } = await feeds.add({ url: 'https://e.com/feed' }, now);
    expect(await items.insertMany(feed.id, [item(1), item(2)], now)).toHaveLength(2);
    expect(await items.insertMany(feed.id, [item(1), item(2)], now)).toHaveLength(0);
    // Same link and title under a new guid (a feed that regenerated its guids): still one item.
    expect(await items.insertMany(feed.id, [item(1, { guid: 'new', contentHash: 'other' })], now)).toHaveLength(0);
    expect(await items.count()).toBe(2);
    db.close();
  });

  it('keeps full-text search in step with inserts and deletes', async () => {
    const db = openDatabase(join(t.dir, 'a.sqlite'));
    const feeds = new FeedRepository(sqlOf(db));
    const items = new ItemRepository(sqlOf(db));
    const { feed } = await feeds.add({ url: 'https://e.com/feed' }, now);
    await items.insertMany(feed.id, [item(1, { title: 'Kimi K2.6 lands', text: 'Moonshot’s open model' })], now);
    expect((await items.search('"moonshot"*')).map((i) => i.title)).toEqual(['Kimi K2.6 lands']);
    // Removing a feed unsubscribes the team: items are shared, so they stay until the feed row goes.
    expect(await feeds.remove(feed.id)).toBe(true);
    expect((await items.search('"moonshot"*')).length).toBe(1);
    await sqlOf(db).run('DELETE FROM feeds WHERE id = ?', [feed.id]);
    expect(await items.search('"moonshot"*')).toEqual([]);
    db.close();
  });

  it('indexes exactly the new items of every insert, skipping duplicates, across feeds', async () => {
    const db = openDatabase(join(t.dir, 'a.sqlite'));
    const feeds = new FeedRepository(sqlOf(db));
    const items = new ItemRepository(sqlOf(db));
    const a = (await feeds.add({ url: 'https://a.example/feed' }, now)).feed;
    const b = (await feeds.add({ url: 'https://b.example/feed' }, now)).feed;
    const named = (n: number, word: string) => item(n, { title: `Story ${n}`, text: `about ${word}` });
    await items.insertMany(a.id, [named(1, 'qwen'), named(2, 'qwen')], now);
    // One duplicate (already stored for feed a) among new ones: only the new ones are indexed.
    await items.insertMany(a.id, [named(2, 'qwen'), named(3, 'qwen')], now);
    await items.insertMany(b.id, [named(4, 'qwen'), named(5, 'deepseek')], now);
    expect((await items.search('qwen')).map((i) => i.title).sort()).toEqual([
      'Story 1',
      'Story 2',
      'Story 3',
      'Story 4',
    ]);
    expect((await items.search('deepseek')).map((i) => i.title)).toEqual(['Story 5']);
    // The index holds one entry per stored item: FTS5's integrity check compares it with the items table.
    expect(() => db.exec(`INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)`)).not.toThrow();
    expect(await items.count()).toBe(5);
    db.close();
  });

  it('lets a second process write to the same file while this one holds it open', async () => {
    const path = join(t.dir, 'shared.sqlite');
    const db = openDatabase(path);
    const feeds = new FeedRepository(sqlOf(db));
    await feeds.add({ url: 'https://first.example/feed' }, now);
    const script = `
      import { openDatabase } from './src/store/open-database.ts';
      import { FeedRepository } from './src/store/feed-repository.ts';
      import { SqliteSql } from './src/store/sqlite-sql.ts';
      const db = openDatabase(${JSON.stringify(path)});
      await new FeedRepository(new SqliteSql(db)).add({ url: 'https://second.example/feed' }, new Date());
      db.close();`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '../..'),
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect((await feeds.list()).map((f) => f.url)).toEqual([
      'https://first.example/feed',
      'https://second.example/feed',
    ]);
    db.close();
  });
});
