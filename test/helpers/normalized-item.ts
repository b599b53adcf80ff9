import type { ItemRepository } from '../../src/store/item-repository.js';

/** What the item tests store: the normalized item `insertMany` takes. */
type NewItem = Parameters<ItemRepository['insertMany']>[1][number];

/** The store tests' clock reading. */
export const ITEM_NOW = new Date('2026-11-20T08:00:00Z');

/** Normalized item `n` of a feed (guid, URL and hash derived from `n`), with `extra` on top. */
export const normalizedItem = (n: number, extra: Partial<NewItem> = {}) => ({
  guid: `g${n}`,
  url: `https://e.com/${n}`,
  canonicalUrl: `https://e.com/${n}`,
  title: `Item ${n}`,
  text: `Text ${n} about Qwen`,
  author: null,
  language: 'en',
  publishedAt: ITEM_NOW.toISOString(),
  dateSource: 'feed' as const,
  contentHash: `h${n}`,
  ...extra,
});
