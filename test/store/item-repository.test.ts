import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ITEM_NOW, normalizedItem } from '../helpers/normalized-item.js';
import { testServices } from '../helpers/test-services.js';

/**
 * Storing a feed's items, on both engines: SQLite inserts row by row in a transaction, PostgreSQL stores
 * a whole slice with one statement. What is stored, skipped, indexed and queued must be the same.
 */
let t: Awaited<ReturnType<typeof testServices>>;
beforeEach(async () => {
  t = await testServices();
});
afterEach(async () => {
  await t.close();
});

const now = ITEM_NOW;
const item = normalizedItem;

describe('storing items', () => {
  it('returns the new ids in item order, skipping what the feed already has and repeats within the slice', async () => {
    const { items, feeds } = t.services;
    const { feed } = await feeds.add({ url: 'https://e.com/feed' }, now);
    const first = await items.insertMany(feed.id, [item(3), item(1), item(2)], now);
    expect(first).toHaveLength(3);
    expect((await Promise.all(first.map((id) => items.get(id)))).map((i) => i?.title)).toEqual([
      'Item 3',
      'Item 1',
      'Item 2',
    ]);
    const second = await items.insertMany(
      feed.id,
      [
        item(1), // stored before
        item(4),
        item(4, { guid: 'again' }), // the same hash later in the slice
        item(5),
        item(5, { guid: 'new', contentHash: 'other' }), // the same link and title later in the slice
        item(2, { guid: 'new', contentHash: 'other2', text: 'it\'s "quoted", {braced} and \\ slashed' }),
      ],
      now,
    );
    expect((await Promise.all(second.map((id) => items.get(id)))).map((i) => [i?.guid, i?.title])).toEqual([
      ['g4', 'Item 4'],
      ['g5', 'Item 5'],
    ]);
    expect(await items.count()).toBe(5);
    expect(await items.insertMany(feed.id, [], now)).toEqual([]);
  });

  it('keeps each value as given (nulls, quotes, braces, backslashes, non-ASCII)', async () => {
    const { items, feeds } = t.services;
    const { feed } = await feeds.add({ url: 'https://e.com/feed' }, now);
    const odd = item(1, {
      guid: null,
      url: null,
      canonicalUrl: null,
      author: 'O\'Brien "Bob" {x}',
      language: null,
      title: 'NULL',
      text: 'a,b {c} "d" \\e 通义千问 café',
    });
    const [id] = await items.insertMany(feed.id, [odd], now);
    expect(await items.get(id as number)).toEqual({
      ...odd,
      id,
      feedId: feed.id,
      firstSeenAt: now.toISOString(),
    });
  });

  it('indexes exactly the new items for search and queues them for clustering', async () => {
    const { items, feeds } = t.services;
    const { feed } = await feeds.add({ url: 'https://e.com/feed' }, now);
    const a = await items.insertMany(
      feed.id,
      [item(1, { title: 'Kimi K2.6 lands', text: 'Moonshot open model' })],
      now,
    );
    const b = await items.insertMany(
      feed.id,
      [item(1, { title: 'Kimi K2.6 lands', text: 'Moonshot open model' }), item(2, { text: 'Moonshot again' })],
      now,
    );
    const match = t.services.sql.engine === 'sqlite' ? '"moonshot"*' : 'moonshot';
    expect((await items.search(match)).map((i) => i.id).sort((x, y) => x - y)).toEqual([...a, ...b]);
    expect((await items.unclustered()).map((i) => i.id)).toEqual([...a, ...b]);
  });
});
