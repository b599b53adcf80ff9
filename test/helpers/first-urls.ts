import type { Sql } from '../../src/store/sql.js';

/**
 * Stories whose kept first source (stories.first_url, first_url_feed_id, first_url_item_id: migration
 * 0018) differs from what their links say, the earliest linked item in (date, item) order with a non-empty
 * URL; each as { id, kept, links }. Empty when every story agrees. Read in JS, not with the store's SQL.
 */
export async function firstUrlMismatches(sql: Sql): Promise<{ id: number; kept: unknown[]; links: unknown[] }[]> {
  const links = await sql.all<{ story_id: number; item_id: number; url: string | null; feed_id: number }>(
    `SELECT si.story_id, si.item_id, i.url, i.feed_id FROM story_items si JOIN items i ON i.id = si.item_id
     ORDER BY si.story_id, si.published_at, si.item_id`,
  );
  const first = new Map<number, unknown[]>();
  for (const l of links) if (l.url && !first.has(l.story_id)) first.set(l.story_id, [l.item_id, l.url, l.feed_id]);
  const stories = await sql.all<{ id: number; item: number | null; url: string | null; feed: number | null }>(
    'SELECT id, first_url_item_id AS item, first_url AS url, first_url_feed_id AS feed FROM stories ORDER BY id',
  );
  return stories
    .map((s) => ({ id: s.id, kept: [s.item, s.url, s.feed], links: first.get(s.id) ?? [null, null, null] }))
    .filter((s) => JSON.stringify(s.kept) !== JSON.stringify(s.links));
}
