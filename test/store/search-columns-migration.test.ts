import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EntityRepository } from '../../src/store/entity-repository.js';
import { searchQuery } from '../../src/store/search-sql.js';
import { storeAtVersion } from '../helpers/store-at-version.js';
import { tempDir } from '../helpers/test-services.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const tagsOf = async (sql: Awaited<ReturnType<typeof storeAtVersion>>['sql']) =>
  (await sql.all<{ id: number; filter_tags: string | null }>('SELECT id, filter_tags FROM stories ORDER BY id')).map(
    (r) => [r.id, r.filter_tags === null ? null : JSON.parse(r.filter_tags)],
  );

describe('migration 0020 (a story’s origin and openness tags on its row)', () => {
  it('copies each story’s origin and openness tags, ordered by kind and key, and tagging keeps them', async () => {
    const store = await storeAtVersion(t.dir, 19);
    const { sql } = store;
    const at = '2026-12-01T08:00:00.000Z';
    await sql.run(
      `INSERT INTO entities (id, kind, key, name) VALUES (1, 'lab', 'deepseek', 'DeepSeek'), (2, 'origin', 'CN', 'China'),
         (3, 'openness', 'open-weight', 'open weights'), (4, 'origin', 'US', 'United States'),
         (5, 'openness', 'closed', 'closed'), (6, 'family', 'gpt', 'GPT')`,
    );
    await sql.run(
      `INSERT INTO stories (id, first_seen_at, updated_at, published_at, last_item_at, title) VALUES
         (1, ?, ?, ?, ?, 'one'), (2, ?, ?, ?, ?, 'two'), (3, ?, ?, ?, ?, 'three'), (4, ?, ?, ?, ?, 'four')`,
      Array.from({ length: 16 }, () => at),
    );
    // Story 1: a lab, its origin and openness; 2: a lab only; 3: no tags; 4: two origins, an openness, a family.
    for (const [story, entity] of <[number, number][]>[
      [1, 1],
      [1, 3],
      [1, 2],
      [2, 1],
      [4, 4],
      [4, 6],
      [4, 5],
      [4, 2],
    ])
      await sql.run('INSERT INTO story_entities (story_id, entity_id, published_at) VALUES (?, ?, ?)', [
        story,
        entity,
        at,
      ]);
    expect(await store.upgrade()).toContain(20);
    expect(await tagsOf(sql)).toEqual([
      [
        1,
        [
          ['openness', 'open-weight'],
          ['origin', 'CN'],
        ],
      ],
      [2, null],
      [3, null],
      [
        4,
        [
          ['openness', 'closed'],
          ['origin', 'CN'],
          ['origin', 'US'],
        ],
      ],
    ]);
    // Search returns them with the stories a filter question reads ("open models", no known word).
    const q = searchQuery(sql, { terms: [], entities: [], since: null, runs: [], filters: true });
    const rows = await sql.all<{ k: number; id: number; tags: string | null }>(q.text, q.params);
    expect(rows.filter((r) => r.k === 9).map((r) => [r.id, r.tags === null ? null : JSON.parse(r.tags)])).toEqual(
      await tagsOf(sql),
    );

    // Tagging rewrites them with the tags: added, changed, and gone.
    const entities = new EntityRepository(sql);
    await entities.tagStories(
      new Map([
        [
          2,
          [
            { kind: 'origin', key: 'CN', name: 'China' },
            { kind: 'lab', key: 'deepseek', name: 'DeepSeek' },
          ],
        ],
        [1, [{ kind: 'lab', key: 'deepseek', name: 'DeepSeek' }]],
        [4, [{ kind: 'openness', key: 'open-weight', name: 'open weights', role: 'mention' }]],
      ]),
    );
    expect(await tagsOf(sql)).toEqual([
      [1, null],
      [2, [['origin', 'CN']]],
      [3, null],
      [4, [['openness', 'open-weight']]],
    ]);
    await store.close();
  });
});

describe('migration 0021 (the archive’s size, kept by triggers)', () => {
  it('counts the stories there are, then follows inserts and deletes of one or many rows', async () => {
    const store = await storeAtVersion(t.dir, 20);
    const { sql } = store;
    const at = '2026-12-01T08:00:00.000Z';
    const insert = (ids: number[]) =>
      sql.run(
        `INSERT INTO stories (id, first_seen_at, updated_at, published_at, last_item_at, title) VALUES
           ${ids.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        ids.flatMap((id) => [id, at, at, at, at, `story ${id}`]),
      );
    await insert([1, 2, 3]);
    expect(await store.upgrade()).toContain(21);
    const size = async () => (await sql.get<{ n: number }>('SELECT n FROM story_count'))?.n;
    expect(await size()).toBe(3);
    await insert([4, 5]);
    expect(await size()).toBe(5);
    await sql.run('DELETE FROM stories WHERE id IN (1, 4)');
    expect(await size()).toBe(3);
    await sql.run('DELETE FROM stories WHERE id = 99');
    expect(await size()).toBe(3);
    expect(await size()).toBe((await sql.get<{ n: number }>('SELECT count(*) AS n FROM stories'))?.n);
    await store.close();
  });
});
