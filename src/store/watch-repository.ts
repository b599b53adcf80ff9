import { DEFAULT_TEAM } from '../core/team.js';
import { type Sql, statement } from './sql.js';

/** A channel's watch rule: topic words (as `subscribe` takes them) plus `kind:` words. */
export interface WatchRule {
  id: number;
  channelId: string;
  /** The team of the channel; rules, messages and posts are keyed by (team, channel). */
  teamId: string;
  topics: string;
  createdBy: string;
  createdAt: string;
}

export type WatchMessageKind = 'story' | 'fold' | 'change' | 'update';

/** One Slack message a watch posts, with its exactly-once state. */
export interface WatchMessage {
  id: number;
  teamId: string;
  channelId: string;
  kind: WatchMessageKind;
  parentId: number | null;
  /** The ts of the message an update replies to, once that one is posted. */
  parentTs: string | null;
  status: 'pending' | 'posted' | 'failed';
  messageTs: string | null;
  attempts: number;
  error: string | null;
  createdAt: string;
  postedAt: string | null;
}

/** A story (or change) a channel was told about, and the message that told it. */
export interface WatchPost {
  id: number;
  teamId: string;
  channelId: string;
  storyId: number | null;
  changeId: number | null;
  ruleId: number | null;
  messageId: number;
  messageKind: WatchMessageKind;
  messageTs: string | null;
  lastUpdateAt: string | null;
  createdAt: string;
}

/** What one announcement covers: a story with the items shown, or a model-list change. */
export interface ClaimedSubject {
  storyId?: number;
  changeId?: number;
  ruleId: number | null;
  itemIds?: number[];
}

interface RuleRow {
  id: number;
  channel_id: string;
  team_id: string;
  topics: string;
  created_by: string;
  created_at: string;
}

interface MessageRow {
  id: number;
  team_id: string;
  channel_id: string;
  kind: WatchMessageKind;
  parent_id: number | null;
  parent_ts: string | null;
  status: WatchMessage['status'];
  message_ts: string | null;
  attempts: number;
  error: string | null;
  created_at: string;
  posted_at: string | null;
}

interface PostRow {
  id: number;
  team_id: string;
  channel_id: string;
  story_id: number | null;
  change_id: number | null;
  rule_id: number | null;
  message_id: number;
  message_kind: WatchMessageKind;
  message_ts: string | null;
  last_update_at: string | null;
  created_at: string;
}

const toRule = (r: RuleRow): WatchRule => ({
  id: r.id,
  channelId: r.channel_id,
  teamId: r.team_id,
  topics: r.topics,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const toMessage = (r: MessageRow): WatchMessage => ({
  id: r.id,
  teamId: r.team_id,
  channelId: r.channel_id,
  kind: r.kind,
  parentId: r.parent_id,
  parentTs: r.parent_ts,
  status: r.status,
  messageTs: r.message_ts,
  attempts: r.attempts,
  error: r.error,
  createdAt: r.created_at,
  postedAt: r.posted_at,
});

const toPost = (r: PostRow): WatchPost => ({
  id: r.id,
  teamId: r.team_id,
  channelId: r.channel_id,
  storyId: r.story_id,
  changeId: r.change_id,
  ruleId: r.rule_id,
  messageId: r.message_id,
  messageKind: r.message_kind,
  messageTs: r.message_ts,
  lastUpdateAt: r.last_update_at,
  createdAt: r.created_at,
});

const MESSAGE_SELECT = `SELECT m.*, p.message_ts AS parent_ts FROM watch_messages m LEFT JOIN watch_messages p ON p.id = m.parent_id`;
const POST_SELECT = `SELECT w.*, m.kind AS message_kind, m.message_ts FROM watch_posts w JOIN watch_messages m ON m.id = w.message_id`;

/**
 * Watch rules and the exactly-once record of what each channel was told: a story or change is claimed
 * once per channel (a unique key), together with the message that announces it, before anything is
 * posted; claims run in IMMEDIATE transactions so two processes never claim the same thing.
 */
export class WatchRepository {
  private readonly s;

  constructor(private readonly sql: Sql) {
    this.s = {
      addRule: statement(
        sql,
        'INSERT INTO watch_rules (channel_id, team_id, topics, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
      ),
      rule: statement(sql, 'SELECT * FROM watch_rules WHERE id = ? AND team_id = ?'),
      rulesOf: statement(sql, 'SELECT * FROM watch_rules WHERE team_id = ? AND channel_id = ? ORDER BY id'),
      allRules: statement(sql, 'SELECT * FROM watch_rules ORDER BY team_id, channel_id, id'),
      removeRule: statement(sql, 'DELETE FROM watch_rules WHERE id = ? AND team_id = ?'),
      insertMessage: statement(
        sql,
        `INSERT INTO watch_messages (team_id, channel_id, kind, parent_id, status, message, created_at, lease_until)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id`,
      ),
      lease: statement(
        sql,
        `UPDATE watch_messages SET lease_until = ? WHERE id = ? AND status = 'pending'
           AND (lease_until IS NULL OR lease_until <= ?)`,
      ),
      message: statement(sql, `${MESSAGE_SELECT} WHERE m.id = ?`),
      messageBody: statement(sql, 'SELECT message FROM watch_messages WHERE id = ?'),
      pending: statement(
        sql,
        `${MESSAGE_SELECT} WHERE m.status = 'pending' AND (m.lease_until IS NULL OR m.lease_until <= ?) ORDER BY m.id`,
      ),
      attempt: statement(sql, 'UPDATE watch_messages SET attempts = attempts + 1 WHERE id = ?'),
      release: statement(sql, 'UPDATE watch_messages SET lease_until = NULL WHERE id = ?'),
      recordTs: statement(sql, 'UPDATE watch_messages SET message_ts = ? WHERE id = ? AND message_ts IS NULL'),
      posted: statement(
        sql,
        "UPDATE watch_messages SET status = 'posted', message_ts = ?, posted_at = ?, error = NULL WHERE id = ?",
      ),
      failed: statement(sql, "UPDATE watch_messages SET status = 'failed', error = ? WHERE id = ?"),
      error: statement(sql, 'UPDATE watch_messages SET error = ? WHERE id = ?'),
      topLevelSince: statement(
        sql,
        `SELECT count(*) AS n FROM watch_messages
         WHERE team_id = ? AND channel_id = ? AND kind != 'update' AND status != 'failed' AND created_at >= ?`,
      ),
      lastFailure: statement(
        sql,
        "SELECT error, created_at FROM watch_messages WHERE team_id = ? AND channel_id = ? AND status = 'failed' ORDER BY id DESC LIMIT 1",
      ),
      storyPost: statement(sql, 'SELECT id FROM watch_posts WHERE team_id = ? AND channel_id = ? AND story_id = ?'),
      changePost: statement(sql, 'SELECT id FROM watch_posts WHERE team_id = ? AND channel_id = ? AND change_id = ?'),
      insertPost: statement(
        sql,
        `INSERT INTO watch_posts (team_id, channel_id, story_id, change_id, rule_id, message_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      cover: statement(sql, 'INSERT INTO watch_post_items (post_id, item_id) VALUES (?, ?) ON CONFLICT DO NOTHING'),
      updatable: statement(
        sql,
        `${POST_SELECT} WHERE w.story_id IS NOT NULL AND m.status = 'posted' AND w.created_at >= ?
           AND (w.last_update_at IS NULL OR w.last_update_at <= ?)
           AND EXISTS (SELECT 1 FROM story_items si WHERE si.story_id = w.story_id
             AND NOT EXISTS (SELECT 1 FROM watch_post_items c WHERE c.post_id = w.id AND c.item_id = si.item_id))
         ORDER BY w.id LIMIT 500`,
      ),
      uncovered: statement(
        sql,
        `SELECT si.item_id AS id FROM story_items si WHERE si.story_id = ?
           AND NOT EXISTS (SELECT 1 FROM watch_post_items c WHERE c.post_id = ? AND c.item_id = si.item_id)
         ORDER BY si.item_id`,
      ),
      touchUpdate: statement(
        sql,
        'UPDATE watch_posts SET last_update_at = ? WHERE id = ? AND (last_update_at IS NULL OR last_update_at <= ?)',
      ),
      postsOfStory: statement(sql, 'SELECT id, team_id, channel_id FROM watch_posts WHERE story_id = ?'),
      moveCovered: statement(
        sql,
        'INSERT INTO watch_post_items (post_id, item_id) SELECT ?, item_id FROM watch_post_items WHERE post_id = ? ON CONFLICT DO NOTHING',
      ),
      deletePost: statement(sql, 'DELETE FROM watch_posts WHERE id = ?'),
      movePost: statement(sql, 'UPDATE watch_posts SET story_id = ? WHERE id = ?'),
    };
  }

  async addRule(channelId: string, teamId: string, topics: string, by: string, now: Date): Promise<WatchRule> {
    return toRule((await this.s.addRule.get(channelId, teamId, topics, by, now.toISOString())) as RuleRow);
  }

  /** A rule of the team's (another team's rule id is not found). */
  async rule(id: number, team: string = DEFAULT_TEAM): Promise<WatchRule | undefined> {
    const r = (await this.s.rule.get(id, team)) as RuleRow | undefined;
    return r && toRule(r);
  }

  /** A channel's rules (in its team), or every team's and channel's when no channel is given. */
  async rules(channelId?: string, team: string = DEFAULT_TEAM): Promise<WatchRule[]> {
    const rows = (channelId ? await this.s.rulesOf.all(team, channelId) : await this.s.allRules.all()) as RuleRow[];
    return rows.map(toRule);
  }

  async removeRule(id: number, team: string = DEFAULT_TEAM): Promise<boolean> {
    return (await this.s.removeRule.run(id, team)).changes > 0;
  }

  /**
   * Claims an announcement: the message (pending, rendered) and one post per subject, atomically.
   * Undefined when any subject was already claimed for this channel (by another process meanwhile).
   */
  async claimAnnouncement(
    a: {
      teamId?: string;
      channelId: string;
      kind: 'story' | 'fold' | 'change';
      message: unknown;
      subjects: ClaimedSubject[];
    },
    now: Date,
    leaseUntil: Date,
  ): Promise<WatchMessage | undefined> {
    const at = now.toISOString();
    const team = a.teamId ?? DEFAULT_TEAM;
    const id = await this.sql.write(async () => {
      for (const x of a.subjects) {
        const taken =
          x.storyId !== undefined
            ? await this.s.storyPost.get(team, a.channelId, x.storyId)
            : await this.s.changePost.get(team, a.channelId, x.changeId ?? null);
        if (taken) return undefined;
      }
      const { id } = (await this.s.insertMessage.get(
        team,
        a.channelId,
        a.kind,
        null,
        JSON.stringify(a.message),
        at,
        leaseUntil.toISOString(),
      )) as { id: number };
      for (const x of a.subjects) {
        const post = (await this.s.insertPost.get(
          team,
          a.channelId,
          x.storyId ?? null,
          x.changeId ?? null,
          x.ruleId,
          id,
          at,
        )) as {
          id: number;
        };
        for (const item of x.itemIds ?? []) await this.s.cover.run(post.id, item);
      }
      return id;
    });
    return id === undefined ? undefined : await this.message(id);
  }

  /**
   * Claims a threaded update for a post: only when the post's last update is older than `notBefore`
   * (at most one per interval, whichever process gets there first). Marks the items as shown.
   */
  async claimUpdate(
    u: { post: WatchPost; message: unknown; itemIds: number[]; notBefore: Date },
    now: Date,
    leaseUntil: Date,
  ): Promise<WatchMessage | undefined> {
    const at = now.toISOString();
    const id = await this.sql.write(async () => {
      if ((await this.s.touchUpdate.run(at, u.post.id, u.notBefore.toISOString())).changes === 0) return undefined;
      const { id } = (await this.s.insertMessage.get(
        u.post.teamId,
        u.post.channelId,
        'update',
        u.post.messageId,
        JSON.stringify(u.message),
        at,
        leaseUntil.toISOString(),
      )) as { id: number };
      for (const item of u.itemIds) await this.s.cover.run(u.post.id, item);
      return id;
    });
    return id === undefined ? undefined : await this.message(id);
  }

  async message(id: number): Promise<WatchMessage | undefined> {
    const r = (await this.s.message.get(id)) as MessageRow | undefined;
    return r && toMessage(r);
  }

  /** The rendered message stored at claim time. */
  async body<T>(id: number): Promise<T | undefined> {
    const r = (await this.s.messageBody.get(id)) as { message: string } | undefined;
    return r ? (JSON.parse(r.message) as T) : undefined;
  }

  /** Messages claimed but not yet posted whose lease has run out (a crash, a deferral), oldest first. */
  async pending(now: Date): Promise<WatchMessage[]> {
    return ((await this.s.pending.all(now.toISOString())) as MessageRow[]).map(toMessage);
  }

  /** Takes a pending message's lease; false when another process holds it or it is no longer pending. */
  async lease(id: number, now: Date, until: Date): Promise<boolean> {
    return (await this.s.lease.run(until.toISOString(), id, now.toISOString())).changes > 0;
  }

  /** Gives a lease back early (a deferred post), so the next run can try again at once. */
  async releaseLease(id: number): Promise<void> {
    await this.s.release.run(id);
  }

  async countAttempt(id: number): Promise<void> {
    await this.s.attempt.run(id);
  }

  /** Records the posted message's ts (a watch message is a single message). */
  async recordTs(id: number, ts: string): Promise<void> {
    await this.s.recordTs.run(ts, id);
  }

  async markPosted(id: number, ts: string, now: Date): Promise<void> {
    await this.s.posted.run(ts, now.toISOString(), id);
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.s.failed.run(error, id);
  }

  async noteError(id: number, error: string): Promise<void> {
    await this.s.error.run(error, id);
  }

  /** Top-level watch messages claimed for a channel since a time (failed ones do not count). */
  async topLevelSince(channelId: string, since: Date, team: string = DEFAULT_TEAM): Promise<number> {
    return ((await this.s.topLevelSince.get(team, channelId, since.toISOString())) as { n: number }).n;
  }

  /** The most recent post that failed for good in a channel, for `watch` to explain. */
  async lastFailure(
    channelId: string,
    team: string = DEFAULT_TEAM,
  ): Promise<{ error: string; at: string } | undefined> {
    const r = (await this.s.lastFailure.get(team, channelId)) as { error: string; created_at: string } | undefined;
    return r && { error: r.error, at: r.created_at };
  }

  /** Which of these stories a channel already has a claim for. */
  async claimedStories(channelId: string, storyIds: number[], team: string = DEFAULT_TEAM): Promise<Set<number>> {
    const out = new Set<number>();
    for (let i = 0; i < storyIds.length; i += 500) {
      const chunk = storyIds.slice(i, i + 500);
      const rows = await this.sql.all<{ story_id: number }>(
        `SELECT story_id FROM watch_posts WHERE team_id = ? AND channel_id = ? AND story_id IN (${chunk.map(() => '?').join(',')})`,
        [team, channelId, ...chunk],
      );
      for (const r of rows) out.add(r.story_id);
    }
    return out;
  }

  /** Whether a channel already has a claim for a model-list change. */
  async changeClaimed(channelId: string, changeId: number, team: string = DEFAULT_TEAM): Promise<boolean> {
    return (await this.s.changePost.get(team, channelId, changeId)) !== undefined;
  }

  /** Of these stories, the ones a watch has posted to a channel (the digest marks them). */
  async announcedIn(channelId: string, storyIds: number[], team: string = DEFAULT_TEAM): Promise<Set<number>> {
    if (storyIds.length === 0) return new Set();
    const rows = await this.sql.all<PostRow>(
      `${POST_SELECT} WHERE w.team_id = ? AND w.channel_id = ? AND m.status = 'posted' AND w.story_id IN (${storyIds.map(() => '?').join(',')})`,
      [team, channelId, ...storyIds],
    );
    return new Set(rows.map((r) => r.story_id as number));
  }

  /** Posted story announcements since `since` that have sources the channel has not seen, and no update after `lastUpdateBefore`. */
  async updatable(since: Date, lastUpdateBefore: Date): Promise<WatchPost[]> {
    return ((await this.s.updatable.all(since.toISOString(), lastUpdateBefore.toISOString())) as PostRow[]).map(toPost);
  }

  /** A story's items a post has not shown yet. */
  async uncoveredItems(post: WatchPost): Promise<number[]> {
    if (post.storyId === null) return [];
    return ((await this.s.uncovered.all(post.storyId, post.id)) as { id: number }[]).map((r) => r.id);
  }

  /**
   * Story `from` was merged into `to`: each channel's record moves to `to`, so the event is still
   * announced once. A channel told about both keeps `to`'s record, which takes over the items `from`'s
   * had shown. Call it before `from` is deleted, in the merge's transaction.
   */
  async reassignStory(from: number, to: number): Promise<void> {
    if (from === to) return;
    await this.sql.write(async () => {
      for (const p of (await this.s.postsOfStory.all(from)) as { id: number; team_id: string; channel_id: string }[]) {
        const existing = (await this.s.storyPost.get(p.team_id, p.channel_id, to)) as { id: number } | undefined;
        if (existing) {
          await this.s.moveCovered.run(existing.id, p.id);
          await this.s.deletePost.run(p.id);
        } else await this.s.movePost.run(to, p.id);
      }
    });
  }
}
