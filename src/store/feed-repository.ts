import type { Feed } from '../core/types.js';
import type { Db } from './open-database.js';

interface FeedRow {
  id: number;
  url: string;
  kind: Feed['kind'];
  title: string | null;
  site_url: string | null;
  tags: string;
  etag: string | null;
  last_modified: string | null;
  next_check_at: string;
  error_count: number;
  last_error: string | null;
  last_error_code: string | null;
  last_success_at: string | null;
  paused_at: string | null;
  created_at: string;
}

function toFeed(r: FeedRow): Feed {
  return {
    id: r.id,
    url: r.url,
    kind: r.kind,
    title: r.title,
    siteUrl: r.site_url,
    tags: JSON.parse(r.tags) as string[],
    etag: r.etag,
    lastModified: r.last_modified,
    nextCheckAt: r.next_check_at,
    errorCount: r.error_count,
    lastError: r.last_error,
    lastErrorCode: r.last_error_code,
    lastSuccessAt: r.last_success_at,
    pausedAt: r.paused_at,
    createdAt: r.created_at,
  };
}

export interface NewFeed {
  url: string;
  kind?: Feed['kind'];
  title?: string | null;
  siteUrl?: string | null;
  tags?: string[];
}

/** A feed with its ingest health, as `feeds` lists it. */
export interface FeedHealth extends Feed {
  itemCount: number;
  itemsLastWeek: number;
  newestItemAt: string | null;
}

/** Feed subscriptions and their fetch state. */
export class FeedRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO feeds (url, kind, title, site_url, tags, next_check_at, created_at)
         VALUES (@url, @kind, @title, @siteUrl, @tags, @now, @now) ON CONFLICT(url) DO NOTHING RETURNING *`,
      ),
      byId: db.prepare('SELECT * FROM feeds WHERE id = ?'),
      byUrl: db.prepare('SELECT * FROM feeds WHERE url = ?'),
      byKind: db.prepare('SELECT * FROM feeds WHERE kind = ? ORDER BY id'),
      all: db.prepare(`SELECT * FROM feeds WHERE kind != 'builtin' ORDER BY id`),
      count: db.prepare(`SELECT count(*) AS n FROM feeds WHERE kind != 'builtin'`),
      remove: db.prepare('DELETE FROM feeds WHERE id = ?'),
      due: db.prepare(
        `SELECT * FROM feeds WHERE kind != 'builtin' AND paused_at IS NULL AND next_check_at <= ? ORDER BY next_check_at, id`,
      ),
      active: db.prepare(`SELECT * FROM feeds WHERE kind != 'builtin' AND paused_at IS NULL ORDER BY id`),
      checkCounts: db.prepare('SELECT id, check_count FROM feeds'),
      stillToPoll: db.prepare(
        `SELECT * FROM feeds WHERE id = @id AND paused_at IS NULL AND check_count = @checks
           AND (@all = 1 OR next_check_at <= @now)`,
      ),
      success: db.prepare(
        `UPDATE feeds SET etag = @etag, last_modified = @lastModified, next_check_at = @next, error_count = 0, check_count = check_count + 1,
           last_error = NULL, last_error_code = NULL, last_success_at = @now, last_checked_at = @now,
           title = coalesce(title, @title), site_url = coalesce(site_url, @siteUrl)
         WHERE id = @id`,
      ),
      failure: db.prepare(
        `UPDATE feeds SET error_count = error_count + 1, check_count = check_count + 1, last_error = @message, last_error_code = @code,
           next_check_at = @next, last_checked_at = @now,
           paused_at = CASE WHEN error_count + 1 >= @limit THEN @now ELSE paused_at END
         WHERE id = @id RETURNING *`,
      ),
      resume: db.prepare(
        'UPDATE feeds SET paused_at = NULL, error_count = 0, next_check_at = @now WHERE id = @id RETURNING *',
      ),
      setAlert: db.prepare('UPDATE feeds SET alerted_at = ?, alert_reason = ? WHERE id = ?'),
      alertOf: db.prepare('SELECT alerted_at, alert_reason FROM feeds WHERE id = ?'),
      health: db.prepare(
        `SELECT f.*, count(i.id) AS item_count,
           sum(CASE WHEN i.first_seen_at >= @weekAgo THEN 1 ELSE 0 END) AS items_last_week,
           max(i.published_at) AS newest_item_at
         FROM feeds f LEFT JOIN items i ON i.feed_id = f.id WHERE f.kind != 'builtin' GROUP BY f.id ORDER BY f.id`,
      ),
    };
  }

  /** Adds a feed; returns it with `created: false` when the URL was already subscribed. */
  add(feed: NewFeed, now: Date): { feed: Feed; created: boolean } {
    const row = this.stmts.insert.get({
      url: feed.url,
      kind: feed.kind ?? 'feed',
      title: feed.title ?? null,
      siteUrl: feed.siteUrl ?? null,
      tags: JSON.stringify(feed.tags ?? []),
      now: now.toISOString(),
    }) as FeedRow | undefined;
    if (row) return { feed: toFeed(row), created: true };
    return { feed: this.getByUrl(feed.url) as Feed, created: false };
  }

  get(id: number): Feed | undefined {
    const r = this.stmts.byId.get(id) as FeedRow | undefined;
    return r && toFeed(r);
  }

  getByUrl(url: string): Feed | undefined {
    const r = this.stmts.byUrl.get(url) as FeedRow | undefined;
    return r && toFeed(r);
  }

  byKind(kind: Feed['kind']): Feed[] {
    return (this.stmts.byKind.all(kind) as FeedRow[]).map(toFeed);
  }

  list(): Feed[] {
    return (this.stmts.all.all() as FeedRow[]).map(toFeed);
  }

  count(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }

  /** Removes a feed and (by cascade) its items. */
  remove(id: number): boolean {
    return this.stmts.remove.run(id).changes > 0;
  }

  /** Feeds whose next check is due and that are not paused; `all` ignores the schedule. */
  due(now: Date, all = false): Feed[] {
    const rows = all ? this.stmts.active.all() : this.stmts.due.all(now.toISOString());
    return (rows as FeedRow[]).map(toFeed);
  }

  /** How many times each feed was checked (polled, successfully or not). */
  checkCounts(): Map<number, number> {
    return new Map(
      (this.stmts.checkCounts.all() as { id: number; check_count: number }[]).map((r) => [r.id, r.check_count]),
    );
  }

  /**
   * The feed, if it still needs this poll: not paused, not checked since it had `checks` checks, and due
   * (unless `all`). A process that claimed a feed polls it only then, so it is fetched once across processes.
   */
  stillToPoll(id: number, checks: number, now: Date, all: boolean): Feed | undefined {
    const r = this.stmts.stillToPoll.get({ id, checks, now: now.toISOString(), all: all ? 1 : 0 }) as
      | FeedRow
      | undefined;
    return r && toFeed(r);
  }

  recordSuccess(
    id: number,
    s: { etag: string | null; lastModified: string | null; next: Date; title?: string | null; siteUrl?: string | null },
    now: Date,
  ): void {
    this.stmts.success.run({
      id,
      etag: s.etag,
      lastModified: s.lastModified,
      next: s.next.toISOString(),
      now: now.toISOString(),
      title: s.title ?? null,
      siteUrl: s.siteUrl ?? null,
    });
  }

  /** Records a failure; pauses the feed once `limit` failures in a row are reached. Returns the feed. */
  recordFailure(id: number, f: { code: string; message: string; next: Date; limit: number }, now: Date): Feed {
    const row = this.stmts.failure.get({
      id,
      code: f.code,
      message: f.message,
      next: f.next.toISOString(),
      now: now.toISOString(),
      limit: f.limit,
    }) as FeedRow;
    return toFeed(row);
  }

  /** Un-pauses a feed and makes it due now. */
  resume(id: number, now: Date): Feed | undefined {
    const r = this.stmts.resume.get({ id, now: now.toISOString() }) as FeedRow | undefined;
    return r && toFeed(r);
  }

  /** Records that admins were alerted about a feed (reason null clears it when the feed recovers). */
  setAlert(id: number, reason: string | null, now: Date | null): void {
    this.stmts.setAlert.run(now ? now.toISOString() : null, reason, id);
  }

  alertOf(id: number): { alertedAt: string | null; reason: string | null } {
    const r = this.stmts.alertOf.get(id) as { alerted_at: string | null; alert_reason: string | null } | undefined;
    return { alertedAt: r?.alerted_at ?? null, reason: r?.alert_reason ?? null };
  }

  /** Every feed with item counts, for `feeds` and App Home. */
  health(now: Date): FeedHealth[] {
    const weekAgo = new Date(now.getTime() - 7 * 86_400_000).toISOString();
    const rows = this.stmts.health.all({ weekAgo }) as (FeedRow & {
      item_count: number;
      items_last_week: number | null;
      newest_item_at: string | null;
    })[];
    return rows.map((r) => ({
      ...toFeed(r),
      itemCount: r.item_count,
      itemsLastWeek: r.items_last_week ?? 0,
      newestItemAt: r.newest_item_at,
    }));
  }
}
