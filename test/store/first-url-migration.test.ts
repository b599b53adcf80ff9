import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeAtVersion } from '../helpers/store-at-version.js';
import { tempDir } from '../helpers/test-services.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('migration 0018 (a story’s first source URL on its row)', () => {
  it('sets each story’s first linked source with a non-empty URL, in (date, item) order, with its feed and item', async () => {
    const store = await storeAtVersion(t.dir, 17);
    const { sql } = store;
    const at = '2026-11-19T08:00:00.000Z';
    await sql.run(
      `INSERT INTO feeds (id, url, kind, title, next_check_at, created_at) VALUES
         (1, 'https://a.example/rss', 'feed', 'A', ?, ?), (2, 'https://b.example/rss', 'feed', 'B', ?, ?)`,
      [at, at, at, at],
    );
    // Story 1: no URL, an empty URL, two items at one time (the lower id first), an older item linked with a
    // later date (the link's date is what counts), an item with a lower id but later. Story 2: no source has
    // a URL. Story 3: no sources.
    const items: [number, number, string | null, string, number][] = [
      [1, 1, null, '2026-11-19T01:00:00.000Z', 1],
      [2, 1, '', '2026-11-19T02:00:00.000Z', 1],
      [3, 1, 'https://a.example/3', '2026-11-19T03:00:00.000Z', 1],
      [5, 1, 'https://a.example/5', '2026-11-19T00:30:00.000Z', 1],
      [6, 2, 'https://b.example/6', '2026-11-19T02:30:00.000Z', 1],
      [8, 1, 'https://a.example/8', '2026-11-19T02:30:00.000Z', 1],
      [9, 1, null, '2026-11-19T01:00:00.000Z', 2],
    ];
    await sql.run(
      `INSERT INTO stories (id, first_seen_at, updated_at, published_at, last_item_at, title) VALUES
         (1, ?, ?, ?, ?, 'one'), (2, ?, ?, ?, ?, 'two'), (3, ?, ?, ?, ?, 'three')`,
      Array.from({ length: 12 }, () => at),
    );
    for (const [id, feed, url, published, story] of items) {
      await sql.run(
        `INSERT INTO items (id, feed_id, url, title, text, published_at, date_source, content_hash, first_seen_at)
         VALUES (?, ?, ?, ?, '', ?, 'feed', ?, ?)`,
        [id, feed, url, `item ${id}`, published, `h${id}`, at],
      );
      await sql.run(
        `INSERT INTO story_items (story_id, item_id, feed_id, published_at, reason, joined_at) VALUES (?, ?, ?, ?, 'new', ?)`,
        [story, id, feed, id === 5 ? '2026-11-19T04:00:00.000Z' : published, at],
      );
    }
    expect((await store.upgrade())[0]).toBe(18);
    const rows = await sql.all<Record<string, unknown>>(
      'SELECT id, first_url, first_url_feed_id, first_url_item_id FROM stories ORDER BY id',
    );
    expect(rows).toEqual([
      { id: 1, first_url: 'https://b.example/6', first_url_feed_id: 2, first_url_item_id: 6 },
      { id: 2, first_url: null, first_url_feed_id: null, first_url_item_id: null },
      { id: 3, first_url: null, first_url_feed_id: null, first_url_item_id: null },
    ]);
    await store.close();
  });
});
