import { DEFAULT_TEAM } from '../core/team.js';
import type { Feed } from '../core/types.js';
import type { ClaimCondition } from './claim-repository.js';
import { type Sql, statement } from './sql.js';

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

/** A feed some team subscribes to: only these are polled. */
const SUBSCRIBED = 'EXISTS (SELECT 1 FROM team_feeds tf WHERE tf.feed_id = feeds.id)';

/**
 * Feeds (one row per URL, fetched once however many teams subscribe) and each team's subscriptions to
 * them (team_feeds). Methods that list or change what a team sees take its team id; the default team
 * when absent (single-workspace mode).
 */
export class FeedRepository {
  private readonly stmts;

  constructor(sql: Sql) {
    this.stmts = {
      insert: statement(
        sql,
        `INSERT INTO feeds (url, kind, title, site_url, tags, next_check_at, created_at)
         VALUES (@url, @kind, @title, @siteUrl, @tags, @now, @now) ON CONFLICT(url) DO NOTHING RETURNING *`,
      ),
      subscribe: statement(
        sql,
        'INSERT INTO team_feeds (team_id, feed_id, created_at) VALUES (?, ?, ?) ON CONFLICT(team_id, feed_id) DO NOTHING',
      ),
      byId: statement(sql, 'SELECT * FROM feeds WHERE id = ?'),
      byUrl: statement(sql, 'SELECT * FROM feeds WHERE url = ?'),
      byKind: statement(sql, 'SELECT * FROM feeds WHERE kind = ? ORDER BY id'),
      subscribedById: statement(
        sql,
        'SELECT feeds.* FROM feeds JOIN team_feeds tf ON tf.feed_id = feeds.id AND tf.team_id = ? WHERE feeds.id = ?',
      ),
      subscribedByUrl: statement(
        sql,
        'SELECT feeds.* FROM feeds JOIN team_feeds tf ON tf.feed_id = feeds.id AND tf.team_id = ? WHERE feeds.url = ?',
      ),
      all: statement(
        sql,
        `SELECT feeds.* FROM feeds JOIN team_feeds tf ON tf.feed_id = feeds.id AND tf.team_id = ?
         WHERE feeds.kind != 'builtin' ORDER BY feeds.id`,
      ),
      count: statement(
        sql,
        `SELECT count(*) AS n FROM feeds JOIN team_feeds tf ON tf.feed_id = feeds.id AND tf.team_id = ? WHERE feeds.kind != 'builtin'`,
      ),
      unsubscribe: statement(sql, 'DELETE FROM team_feeds WHERE team_id = ? AND feed_id = ?'),
      due: statement(
        sql,
        `SELECT * FROM feeds WHERE kind != 'builtin' AND paused_at IS NULL AND next_check_at <= ? AND ${SUBSCRIBED}
         ORDER BY next_check_at, id`,
      ),
      active: statement(
        sql,
        `SELECT * FROM feeds WHERE kind != 'builtin' AND paused_at IS NULL AND ${SUBSCRIBED} ORDER BY id`,
      ),
      anySubscribed: statement(sql, `SELECT * FROM feeds WHERE kind != 'builtin' AND ${SUBSCRIBED} ORDER BY id`),
      teamsOf: statement(sql, 'SELECT team_id FROM team_feeds WHERE feed_id = ? ORDER BY team_id'),
      checkCounts: statement(sql, 'SELECT id, check_count FROM feeds'),
      success: statement(
        sql,
        `UPDATE feeds SET etag = @etag, last_modified = @lastModified, next_check_at = @next, error_count = 0, check_count = check_count + 1,
           last_error = NULL, last_error_code = NULL, last_success_at = @now, last_checked_at = @now,
           title = coalesce(title, @title), site_url = coalesce(site_url, @siteUrl)
         WHERE id = @id`,
      ),
      failure: statement(
        sql,
        `UPDATE feeds SET error_count = error_count + 1, check_count = check_count + 1, last_error = @message, last_error_code = @code,
           next_check_at = @next, last_checked_at = @now,
           paused_at = CASE WHEN error_count + 1 >= @limit THEN @now ELSE paused_at END
         WHERE id = @id RETURNING *`,
      ),
      resume: statement(
        sql,
        'UPDATE feeds SET paused_at = NULL, error_count = 0, next_check_at = @now WHERE id = @id RETURNING *',
      ),
      setAlert: statement(
        sql,
        'UPDATE team_feeds SET alerted_at = ?, alert_reason = ? WHERE team_id = ? AND feed_id = ?',
      ),
      alertOf: statement(sql, 'SELECT alerted_at, alert_reason FROM team_feeds WHERE team_id = ? AND feed_id = ?'),
      health: statement(
        sql,
        `SELECT f.*, count(i.id) AS item_count,
           sum(CASE WHEN i.first_seen_at >= @weekAgo THEN 1 ELSE 0 END) AS items_last_week,
           max(i.published_at) AS newest_item_at
         FROM feeds f JOIN team_feeds tf ON tf.feed_id = f.id AND tf.team_id = @team
           LEFT JOIN items i ON i.feed_id = f.id
         WHERE f.kind != 'builtin' GROUP BY f.id ORDER BY f.id`,
      ),
    };
  }

  /**
   * Subscribes a team to a feed, creating the feed row only when the URL is new (built-in source rows
   * are never subscribed: they count for everyone). `created: false` when the team already subscribed.
   */
  async add(feed: NewFeed, now: Date, team: string = DEFAULT_TEAM): Promise<{ feed: Feed; created: boolean }> {
    const row = (await this.stmts.insert.get({
      url: feed.url,
      kind: feed.kind ?? 'feed',
      title: feed.title ?? null,
      siteUrl: feed.siteUrl ?? null,
      tags: JSON.stringify(feed.tags ?? []),
      now: now.toISOString(),
    })) as FeedRow | undefined;
    const stored = row ? toFeed(row) : ((await this.getByUrl(feed.url)) as Feed);
    if (stored.kind === 'builtin') return { feed: stored, created: !!row };
    const subscribed = (await this.stmts.subscribe.run(team, stored.id, now.toISOString())).changes > 0;
    return { feed: stored, created: subscribed };
  }

  /** The feed if the team subscribes to it. */
  async subscribed(id: number, team: string = DEFAULT_TEAM): Promise<Feed | undefined> {
    const r = (await this.stmts.subscribedById.get(team, id)) as FeedRow | undefined;
    return r && toFeed(r);
  }

  /** The feed with this URL if the team subscribes to it. */
  async subscribedByUrl(url: string, team: string = DEFAULT_TEAM): Promise<Feed | undefined> {
    const r = (await this.stmts.subscribedByUrl.get(team, url)) as FeedRow | undefined;
    return r && toFeed(r);
  }

  /** Every feed some team subscribes to (what polls fetch), whoever subscribes. */
  async anySubscribed(): Promise<Feed[]> {
    return ((await this.stmts.anySubscribed.all()) as FeedRow[]).map(toFeed);
  }

  /** The teams subscribed to a feed (who is told when it is paused or stale). */
  async teamsOf(id: number): Promise<string[]> {
    return ((await this.stmts.teamsOf.all(id)) as { team_id: string }[]).map((r) => r.team_id);
  }

  async get(id: number): Promise<Feed | undefined> {
    const r = (await this.stmts.byId.get(id)) as FeedRow | undefined;
    return r && toFeed(r);
  }

  async getByUrl(url: string): Promise<Feed | undefined> {
    const r = (await this.stmts.byUrl.get(url)) as FeedRow | undefined;
    return r && toFeed(r);
  }

  async byKind(kind: Feed['kind']): Promise<Feed[]> {
    return ((await this.stmts.byKind.all(kind)) as FeedRow[]).map(toFeed);
  }

  /** The team's feeds (built-in sources are not feeds). */
  async list(team: string = DEFAULT_TEAM): Promise<Feed[]> {
    return ((await this.stmts.all.all(team)) as FeedRow[]).map(toFeed);
  }

  async count(team: string = DEFAULT_TEAM): Promise<number> {
    return ((await this.stmts.count.get(team)) as { n: number }).n;
  }

  /**
   * Unsubscribes the team. The feed row and its items stay (other teams' stories share them); a feed no
   * team subscribes to is no longer polled.
   */
  async remove(id: number, team: string = DEFAULT_TEAM): Promise<boolean> {
    return (await this.stmts.unsubscribe.run(team, id)).changes > 0;
  }

  /** Feeds some team subscribes to whose next check is due and that are not paused; `all` ignores the schedule. */
  async due(now: Date, all = false): Promise<Feed[]> {
    const rows = all ? await this.stmts.active.all() : await this.stmts.due.all(now.toISOString());
    return (rows as FeedRow[]).map(toFeed);
  }

  /** How many times each feed was checked (polled, successfully or not). */
  async checkCounts(): Promise<Map<number, number>> {
    return new Map(
      ((await this.stmts.checkCounts.all()) as { id: number; check_count: number }[]).map((r) => [r.id, r.check_count]),
    );
  }

  /**
   * The condition, for the feed's claim (ClaimRepository.claim), that feed `id` still needs this poll:
   * not paused, subscribed, checked `checks` times as when the poll listed it (no process has polled it
   * since), and due unless `all`. Checked in the claim's own statement, so a poll costs no read there.
   */
  stillToPoll(id: number, checks: number, now: Date, all: boolean): ClaimCondition {
    return {
      text: `EXISTS (SELECT 1 FROM feeds WHERE id = @feedId AND paused_at IS NULL AND check_count = @checks
        AND (@all = 1 OR next_check_at <= @dueBy) AND ${SUBSCRIBED})`,
      params: { feedId: id, checks, dueBy: now.toISOString(), all: all ? 1 : 0 },
    };
  }

  async recordSuccess(
    id: number,
    s: { etag: string | null; lastModified: string | null; next: Date; title?: string | null; siteUrl?: string | null },
    now: Date,
  ): Promise<void> {
    await this.stmts.success.run({
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
  async recordFailure(
    id: number,
    f: { code: string; message: string; next: Date; limit: number },
    now: Date,
  ): Promise<Feed> {
    const row = (await this.stmts.failure.get({
      id,
      code: f.code,
      message: f.message,
      next: f.next.toISOString(),
      now: now.toISOString(),
      limit: f.limit,
    })) as FeedRow;
    return toFeed(row);
  }

  /** Un-pauses a feed and makes it due now. */
  async resume(id: number, now: Date): Promise<Feed | undefined> {
    const r = (await this.stmts.resume.get({ id, now: now.toISOString() })) as FeedRow | undefined;
    return r && toFeed(r);
  }

  /** Records that a team's admins were alerted about a feed (reason null clears it when the feed recovers). */
  async setAlert(id: number, reason: string | null, now: Date | null, team: string = DEFAULT_TEAM): Promise<void> {
    await this.stmts.setAlert.run(now ? now.toISOString() : null, reason, team, id);
  }

  async alertOf(id: number, team: string = DEFAULT_TEAM): Promise<{ alertedAt: string | null; reason: string | null }> {
    const r = (await this.stmts.alertOf.get(team, id)) as
      | { alerted_at: string | null; alert_reason: string | null }
      | undefined;
    return { alertedAt: r?.alerted_at ?? null, reason: r?.alert_reason ?? null };
  }

  /** The team's feeds with item counts, for `feeds` and App Home. */
  async health(now: Date, team: string = DEFAULT_TEAM): Promise<FeedHealth[]> {
    const weekAgo = new Date(now.getTime() - 7 * 86_400_000).toISOString();
    const rows = (await this.stmts.health.all({ weekAgo, team })) as (FeedRow & {
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
