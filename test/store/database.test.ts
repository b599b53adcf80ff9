import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedRepository } from '../../src/store/feed-repository.js';
import { ItemRepository } from '../../src/store/item-repository.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { tempDir } from '../helpers/test-services.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const now = new Date('2026-11-20T08:00:00Z');
const item = (n: number, extra: Partial<Parameters<ItemRepository['insertMany']>[1][number]> = {}) => ({
  guid: `g${n}`,
  url: `https://e.com/${n}`,
  canonicalUrl: `https://e.com/${n}`,
  title: `Item ${n}`,
  text: `Text ${n} about Qwen`,
  author: null,
  language: 'en',
  publishedAt: now.toISOString(),
  dateSource: 'feed' as const,
  contentHash: `h${n}`,
  ...extra,
});

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

  it('upgrades a version-7 database holding items to the local item indexes, keeping its items and rules', () => {
    const v7 = join(t.dir, 'v7/');
    mkdirSync(v7);
    for (const m of listMigrations().filter((m) => m.version <= 7)) writeFileSync(join(v7, m.name), m.sql);
    const db = openDatabase(join(t.dir, 'old.sqlite'), { migrate: false });
    migrate(db, pathToFileURL(v7));
    const feeds = new FeedRepository(db);
    const { feed } = feeds.add({ url: 'https://e.com/feed' }, now);
    new ItemRepository(db).insertMany(feed.id, [item(1), item(2)], now);

    expect(migrate(db)).toEqual(listMigrations().flatMap((m) => (m.version > 7 ? [m.version] : [])));
    const indexes = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['items_first_seen', 'items_feed_link', 'items_url']));
    expect(indexes).not.toContain('items_canonical');
    expect(indexes).not.toContain('items_published');
    const items = new ItemRepository(db);
    expect(items.count()).toBe(2);
    // Same link and title under a regenerated guid is still the same item after the upgrade.
    expect(items.insertMany(feed.id, [item(1, { guid: 'new', contentHash: 'other' })], now)).toHaveLength(0);
    expect(items.search('qwen').length).toBe(2);
    db.close();
  });

  it('migration files are numbered without gaps', () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('deduplicates items per feed by hash, and by canonical URL with the same title', () => {
    const db = openDatabase(join(t.dir, 'a.sqlite'));
    const feeds = new FeedRepository(db);
    const items = new ItemRepository(db);
    const { feed } = feeds.add({ url: 'https://e.com/feed' }, now);
    expect(items.insertMany(feed.id, [item(1), item(2)], now)).toHaveLength(2);
    expect(items.insertMany(feed.id, [item(1), item(2)], now)).toHaveLength(0);
    // Same link and title under a new guid (a feed that regenerated its guids): still one item.
    expect(items.insertMany(feed.id, [item(1, { guid: 'new', contentHash: 'other' })], now)).toHaveLength(0);
    expect(items.count()).toBe(2);
    db.close();
  });

  it('keeps full-text search in step with inserts and deletes', () => {
    const db = openDatabase(join(t.dir, 'a.sqlite'));
    const feeds = new FeedRepository(db);
    const items = new ItemRepository(db);
    const { feed } = feeds.add({ url: 'https://e.com/feed' }, now);
    items.insertMany(feed.id, [item(1, { title: 'Kimi K2.6 lands', text: 'Moonshot’s open model' })], now);
    expect(items.search('"moonshot"*').map((i) => i.title)).toEqual(['Kimi K2.6 lands']);
    feeds.remove(feed.id);
    expect(items.search('"moonshot"*')).toEqual([]);
    db.close();
  });

  it('indexes exactly the new items of every insert, skipping duplicates, across feeds', () => {
    const db = openDatabase(join(t.dir, 'a.sqlite'));
    const feeds = new FeedRepository(db);
    const items = new ItemRepository(db);
    const a = feeds.add({ url: 'https://a.example/feed' }, now).feed;
    const b = feeds.add({ url: 'https://b.example/feed' }, now).feed;
    const named = (n: number, word: string) => item(n, { title: `Story ${n}`, text: `about ${word}` });
    items.insertMany(a.id, [named(1, 'qwen'), named(2, 'qwen')], now);
    // One duplicate (already stored for feed a) among new ones: only the new ones are indexed.
    items.insertMany(a.id, [named(2, 'qwen'), named(3, 'qwen')], now);
    items.insertMany(b.id, [named(4, 'qwen'), named(5, 'deepseek')], now);
    expect(
      items
        .search('qwen')
        .map((i) => i.title)
        .sort(),
    ).toEqual(['Story 1', 'Story 2', 'Story 3', 'Story 4']);
    expect(items.search('deepseek').map((i) => i.title)).toEqual(['Story 5']);
    // The index holds one entry per stored item: FTS5's integrity check compares it with the items table.
    expect(() => db.exec(`INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)`)).not.toThrow();
    expect(items.count()).toBe(5);
    db.close();
  });

  it('lets a second process write to the same file while this one holds it open', () => {
    const path = join(t.dir, 'shared.sqlite');
    const db = openDatabase(path);
    const feeds = new FeedRepository(db);
    feeds.add({ url: 'https://first.example/feed' }, now);
    const script = `
      import { openDatabase } from './src/store/open-database.ts';
      import { FeedRepository } from './src/store/feed-repository.ts';
      const db = openDatabase(${JSON.stringify(path)});
      new FeedRepository(db).add({ url: 'https://second.example/feed' }, new Date());
      db.close();`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '../..'),
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(feeds.list().map((f) => f.url)).toEqual(['https://first.example/feed', 'https://second.example/feed']);
    db.close();
  });
});
