import { DEFAULT_TEAM } from '../core/team.js';
import { type Sql, statement } from './sql.js';

/** Window keys of digests asked for with `digest now` start with this; scheduled keys are local dates. */
export const MANUAL_KEY_PREFIX = 'manual:';

/** The exactly-once record of one digest for one channel and window. */
export interface DigestRecord {
  id: number;
  /** The team of the channel: channel ids are unique only within a team. */
  teamId: string;
  channelId: string;
  windowKey: string;
  windowFrom: string;
  windowTo: string;
  status: 'pending' | 'posted' | 'failed';
  parts: number;
  messageTs: string | null;
  attempts: number;
  error: string | null;
  storyIds: number[];
  tokens: number;
  createdAt: string;
  postedAt: string | null;
}

interface Row {
  id: number;
  team_id: string;
  channel_id: string;
  window_key: string;
  window_from: string;
  window_to: string;
  status: DigestRecord['status'];
  parts: number;
  message_ts: string | null;
  attempts: number;
  error: string | null;
  story_ids: string;
  tokens: number;
  created_at: string;
  posted_at: string | null;
}

const toRecord = (r: Row): DigestRecord => ({
  id: r.id,
  teamId: r.team_id,
  channelId: r.channel_id,
  windowKey: r.window_key,
  windowFrom: r.window_from,
  windowTo: r.window_to,
  status: r.status,
  parts: r.parts,
  messageTs: r.message_ts,
  attempts: r.attempts,
  error: r.error,
  storyIds: JSON.parse(r.story_ids) as number[],
  tokens: r.tokens,
  createdAt: r.created_at,
  postedAt: r.posted_at,
});

/**
 * Digests move pending → posted (or failed); the unique (team, channel, window) key makes a second
 * claim fail. Lookups by channel take its team (the default team when absent).
 */
export class DigestRepository {
  private readonly s;

  constructor(sql: Sql) {
    this.s = {
      claim: statement(
        sql,
        `INSERT INTO digests (team_id, channel_id, window_key, window_from, window_to, status, parts, story_ids, tokens, created_at, messages)
         VALUES (@team, @channelId, @windowKey, @from, @to, 'pending', @parts, @storyIds, @tokens, @now, @messages)
         ON CONFLICT(team_id, channel_id, window_key) DO NOTHING RETURNING *`,
      ),
      byKey: statement(sql, 'SELECT * FROM digests WHERE team_id = ? AND channel_id = ? AND window_key = ?'),
      byId: statement(sql, 'SELECT * FROM digests WHERE id = ?'),
      messages: statement(sql, 'SELECT messages FROM digests WHERE id = ?'),
      pending: statement(sql, "SELECT * FROM digests WHERE status = 'pending' ORDER BY id"),
      lastPosted: statement(
        sql,
        "SELECT * FROM digests WHERE team_id = ? AND channel_id = ? AND status = 'posted' ORDER BY window_to DESC LIMIT 1",
      ),
      lastScheduled: statement(
        sql,
        `SELECT * FROM digests WHERE team_id = ? AND channel_id = ? AND status = 'posted' AND window_key NOT LIKE '${MANUAL_KEY_PREFIX}%'
         ORDER BY window_to DESC LIMIT 1`,
      ),
      latest: statement(
        sql,
        "SELECT * FROM digests WHERE team_id = ? AND status = 'posted' ORDER BY posted_at DESC LIMIT 1",
      ),
      attempt: statement(sql, 'UPDATE digests SET attempts = attempts + 1 WHERE id = ?'),
      part: statement(sql, 'INSERT INTO digest_parts (digest_id, part, ts) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      parts: statement(sql, 'SELECT part, ts FROM digest_parts WHERE digest_id = ? ORDER BY part'),
      posted: statement(
        sql,
        "UPDATE digests SET status = 'posted', message_ts = ?, posted_at = ?, error = NULL WHERE id = ?",
      ),
      failed: statement(sql, "UPDATE digests SET status = 'failed', error = ? WHERE id = ?"),
      error: statement(sql, 'UPDATE digests SET error = ? WHERE id = ?'),
    };
  }

  /** Creates the pending record; undefined when this channel already has a digest for this window. */
  async claim(
    d: {
      channelId: string;
      windowKey: string;
      from: Date;
      to: Date;
      storyIds: number[];
      tokens: number;
      messages: unknown[];
    },
    now: Date,
    team: string = DEFAULT_TEAM,
  ): Promise<DigestRecord | undefined> {
    const r = (await this.s.claim.get({
      team,
      channelId: d.channelId,
      windowKey: d.windowKey,
      from: d.from.toISOString(),
      to: d.to.toISOString(),
      parts: d.messages.length,
      messages: JSON.stringify(d.messages),
      storyIds: JSON.stringify(d.storyIds),
      tokens: d.tokens,
      now: now.toISOString(),
    })) as Row | undefined;
    return r && toRecord(r);
  }

  async find(channelId: string, windowKey: string, team: string = DEFAULT_TEAM): Promise<DigestRecord | undefined> {
    const r = (await this.s.byKey.get(team, channelId, windowKey)) as Row | undefined;
    return r && toRecord(r);
  }

  async get(id: number): Promise<DigestRecord | undefined> {
    const r = (await this.s.byId.get(id)) as Row | undefined;
    return r && toRecord(r);
  }

  /** The messages rendered when the digest was claimed. */
  async messages<T>(id: number): Promise<T[]> {
    const r = (await this.s.messages.get(id)) as { messages: string } | undefined;
    return r ? (JSON.parse(r.messages) as T[]) : [];
  }

  async pending(): Promise<DigestRecord[]> {
    return ((await this.s.pending.all()) as Row[]).map(toRecord);
  }

  /** The channel's latest posted digest, scheduled or asked for with `digest now`. */
  async lastPosted(channelId: string, team: string = DEFAULT_TEAM): Promise<DigestRecord | undefined> {
    const r = (await this.s.lastPosted.get(team, channelId)) as Row | undefined;
    return r && toRecord(r);
  }

  /** The channel's latest posted scheduled digest: where the next scheduled window starts. */
  async lastScheduled(channelId: string, team: string = DEFAULT_TEAM): Promise<DigestRecord | undefined> {
    const r = (await this.s.lastScheduled.get(team, channelId)) as Row | undefined;
    return r && toRecord(r);
  }

  /** The team's latest posted digest, in any of its channels (App Home). */
  async latestPosted(team: string = DEFAULT_TEAM): Promise<DigestRecord | undefined> {
    const r = (await this.s.latest.get(team)) as Row | undefined;
    return r && toRecord(r);
  }

  async countAttempt(id: number): Promise<void> {
    await this.s.attempt.run(id);
  }

  /** Records one posted message of a digest. */
  async recordPart(id: number, part: number, ts: string): Promise<void> {
    await this.s.part.run(id, part, ts);
  }

  async postedParts(id: number): Promise<Map<number, string>> {
    return new Map(((await this.s.parts.all(id)) as { part: number; ts: string }[]).map((r) => [r.part, r.ts]));
  }

  async markPosted(id: number, messageTs: string, now: Date): Promise<void> {
    await this.s.posted.run(messageTs, now.toISOString(), id);
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.s.failed.run(error, id);
  }

  async noteError(id: number, error: string): Promise<void> {
    await this.s.error.run(error, id);
  }
}
