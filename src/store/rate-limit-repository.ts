import { type Sql, serialize, statement } from './sql.js';

/** The answer to "may this use go ahead?": yes with the hit's id, or no with when it may. */
export type RateLimitDecision = { allowed: true; hitId: number } | { allowed: false; retryAt: Date };

/** Sliding-window limits on shared things (`digest now` per channel, questions per user). */
export class RateLimitRepository {
  private readonly s;

  constructor(private readonly sql: Sql) {
    this.s = {
      prune: statement(sql, 'DELETE FROM rate_limit_hits WHERE bucket = ? AND at <= ?'),
      inWindow: statement(sql, 'SELECT at FROM rate_limit_hits WHERE bucket = ? AND at > ? ORDER BY at LIMIT ?'),
      insert: statement(sql, 'INSERT INTO rate_limit_hits (bucket, at) VALUES (?, ?) RETURNING id'),
      release: statement(sql, 'DELETE FROM rate_limit_hits WHERE id = ?'),
    };
  }

  /**
   * Counts one use of `bucket` if fewer than `limit` (may be Infinity) happened in the last `windowMs`.
   * IMMEDIATE: the count and the insert happen under the write lock, so two processes cannot both see
   * room for one more use.
   */
  async tryTake(bucket: string, limit: number, windowMs: number, now: Date): Promise<RateLimitDecision> {
    return this.sql.write(async (tx): Promise<RateLimitDecision> => {
      await serialize(tx, `rate:${bucket}`);
      const since = new Date(now.getTime() - windowMs).toISOString();
      await this.s.prune.run(bucket, since);
      const hits = Number.isFinite(limit)
        ? ((await this.s.inWindow.all(bucket, since, limit)) as { at: string }[])
        : [];
      if (hits.length >= limit) {
        const oldest = hits[0] as { at: string };
        return { allowed: false, retryAt: new Date(Date.parse(oldest.at) + windowMs) };
      }
      const { id } = (await this.s.insert.get(bucket, now.toISOString())) as { id: number };
      return { allowed: true, hitId: id };
    });
  }

  /** Gives a use back (the thing it paid for did not happen). */
  async release(hitId: number): Promise<void> {
    await this.s.release.run(hitId);
  }
}
