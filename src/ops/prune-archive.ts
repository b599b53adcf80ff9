import type { Services } from '../compose.js';

/** What a retention run removed. */
export interface PruneReport {
  cutoff: string;
  stories: number;
  items: number;
  cachedSummaries: number;
  pagesFreed: number;
}

/**
 * Deletes stories and items older than RETENTION_DAYS (with their tags, search entries and feedback),
 * keeps digests, usage and the audit log, then returns free pages to the file system.
 */
export function pruneArchive(s: Services): PruneReport {
  const now = s.clock.now();
  const cutoff = new Date(now.getTime() - s.config.retentionDays * 86_400_000).toISOString();
  const db = s.db;
  const report = db.transaction(() => {
    const old = (
      db.prepare('SELECT id FROM stories WHERE last_item_at < ? AND first_seen_at < ?').all(cutoff, cutoff) as {
        id: number;
      }[]
    ).map((r) => r.id);
    const delFts = db.prepare('DELETE FROM stories_fts WHERE rowid = ?');
    const delTri = db.prepare('DELETE FROM stories_trigram WHERE rowid = ?');
    const delStory = db.prepare('DELETE FROM stories WHERE id = ?');
    for (const id of old) {
      delFts.run(id);
      delTri.run(id);
      delStory.run(id);
    }
    const items = db
      .prepare(
        'DELETE FROM items WHERE first_seen_at < ? AND published_at < ? AND id NOT IN (SELECT item_id FROM story_items)',
      )
      .run(cutoff, cutoff).changes;
    const cached = db.prepare('DELETE FROM summary_cache WHERE created_at < ?').run(cutoff).changes;
    return { stories: old.length, items, cachedSummaries: cached };
  })();
  const before = db.pragma('freelist_count', { simple: true }) as number;
  db.pragma('incremental_vacuum');
  const after = db.pragma('freelist_count', { simple: true }) as number;
  return { cutoff, ...report, pagesFreed: Math.max(0, before - after) };
}
