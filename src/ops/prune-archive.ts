import type { Services } from '../compose.js';
import { yieldToLoop } from '../core/yield-to-loop.js';
import { statement } from '../store/sql.js';

/** What a retention run removed. */
export interface PruneReport {
  cutoff: string;
  stories: number;
  items: number;
  cachedSummaries: number;
  pagesFreed: number;
}

/** Rows deleted per transaction: the write lock is never held long enough to stall another process. */
const PRUNE_SLICE = 500;

/**
 * Deletes stories and items older than RETENTION_DAYS (with their tags, search entries and feedback),
 * keeps digests, usage and the audit log, drops expired work claims, then returns free pages to the
 * file system. Works in slices, each read and deleted in one IMMEDIATE transaction, yielding between.
 */
export async function pruneArchive(s: Services): Promise<PruneReport> {
  const now = s.clock.now();
  const cutoff = new Date(now.getTime() - s.config.retentionDays * 86_400_000).toISOString();
  const db = s.sql;
  const st = {
    old: statement(db, 'SELECT id FROM stories WHERE last_item_at < ? AND first_seen_at < ? ORDER BY id LIMIT ?'),
    delFts: statement(db, 'DELETE FROM stories_fts WHERE rowid = ?'),
    delTri: statement(db, 'DELETE FROM stories_trigram WHERE rowid = ?'),
    delStory: statement(db, 'DELETE FROM stories WHERE id = ?'),
    oldItems: statement(
      db,
      `SELECT id FROM items WHERE first_seen_at < ? AND published_at < ?
         AND NOT EXISTS (SELECT 1 FROM story_items si WHERE si.item_id = items.id) ORDER BY id LIMIT ?`,
    ),
    delItem: statement(db, 'DELETE FROM items WHERE id = ?'),
    delCache: statement(db, 'DELETE FROM summary_cache WHERE created_at < ?'),
  };
  const report = { stories: 0, items: 0, cachedSummaries: 0 };
  const inSlices = async (slice: () => Promise<number>) => {
    for (;;) {
      const n = await db.write(slice);
      if (n === 0) return;
      await yieldToLoop();
    }
  };
  await inSlices(async () => {
    const ids = ((await st.old.all(cutoff, cutoff, PRUNE_SLICE)) as { id: number }[]).map((r) => r.id);
    for (const id of ids) {
      await st.delFts.run(id);
      await st.delTri.run(id);
      await st.delStory.run(id);
    }
    report.stories += ids.length;
    return ids.length;
  });
  await inSlices(async () => {
    const ids = ((await st.oldItems.all(cutoff, cutoff, PRUNE_SLICE)) as { id: number }[]).map((r) => r.id);
    for (const id of ids) await st.delItem.run(id);
    report.items += ids.length;
    return ids.length;
  });
  report.cachedSummaries = (await st.delCache.run(cutoff)).changes;
  await s.claims.purgeExpired(now);
  return { cutoff, ...report, pagesFreed: await db.reclaimSpace() };
}
