import type { Entities, EntityMatcher } from '../catalog/match-entities.js';

/** Catalog readings kept for tagging after clustering: enough for a poll's new stories, bounded for a huge one. */
const MEMO_LIMIT = 5_000;

/**
 * An item's catalog reading, memoized for one cycle: clustering and tagging read each item once, and
 * tagging asks `known` first, so it reads an item's text from the store only when the reading is gone.
 */
export interface ItemMatcher {
  (itemId: number, title: string, text: string): Entities;
  known(itemId: number): Entities | undefined;
}

export function createItemMatcher(matcher: Pick<EntityMatcher, 'match'>): ItemMatcher {
  const memo = new Map<number, Entities>();
  const matchItem = (id: number, title: string, text: string) => {
    let e = memo.get(id);
    if (!e) {
      e = matcher.match(title, text);
      if (memo.size >= MEMO_LIMIT) memo.clear(); // bounded: a huge first poll must not hold every result
      memo.set(id, e);
    }
    return e;
  };
  return Object.assign(matchItem, { known: (id: number) => memo.get(id) });
}
