import { jsonValues, type Sql, type SqlValue, type Statement, statement } from './sql.js';

/** How long a claim holds before anyone may take the work over, unless renewed. @unit milliseconds */
export const DEFAULT_LEASE_MS = 120_000;

/** How long before a periodic job's next run its claim lapses (timers in several processes drift). @unit milliseconds */
const PERIOD_MARGIN_MS = 30_000;

/** A claim's upsert ends thus: an existing claim is taken over only once its lease has passed. */
const TAKE_OVER_EXPIRED = `ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at,
  expires_at = excluded.expires_at WHERE work_claims.expires_at <= excluded.claimed_at`;

/**
 * A condition the claim's own statement checks (an SQL expression over named parameters, whose names
 * must not be key, owner, now or expires): the claim is taken only where it holds, with no read before.
 */
export interface ClaimCondition {
  text: string;
  params: Record<string, SqlValue>;
}

/** Who holds a claim and until when. */
export interface ClaimHolder {
  owner: string;
  claimedAt: string;
  expiresAt: string;
}

/**
 * Claims on shared work (a feed's poll, a digest, a summary, a periodic job), so that any number of
 * processes on one database do each piece once. A claim has an owner (this process) and a lease: a
 * live claim is refused to everyone else, an expired one is taken over, so work a dead process held is
 * resumed after its lease. The claim is a single upsert whose SQL is the same on PostgreSQL.
 */
export class ClaimRepository {
  private readonly s;
  /** Conditional claims' statements, by condition text (see `conditional`). */
  private readonly conditions = new Map<string, Statement>();

  /**
   * @param owner identifies this process (host, pid and a random part); never reused by a restart.
   * @param leaseMs the default lease. @unit milliseconds
   */
  constructor(
    private readonly sql: Sql,
    readonly owner: string,
    readonly leaseMs = DEFAULT_LEASE_MS,
  ) {
    this.s = {
      claim: statement(
        sql,
        `INSERT INTO work_claims (key, owner, claimed_at, expires_at) VALUES (@key, @owner, @now, @expires) ${TAKE_OVER_EXPIRED}`,
      ),
      renew: statement(sql, 'UPDATE work_claims SET expires_at = @expires WHERE key = @key AND owner = @owner'),
      release: statement(sql, 'DELETE FROM work_claims WHERE key = ? AND owner = ?'),
      releaseMany: statement(sql, `DELETE FROM work_claims WHERE owner = ? AND key IN ${jsonValues(sql, 'text')}`),
      holder: statement(sql, 'SELECT owner, claimed_at, expires_at FROM work_claims WHERE key = ?'),
      purge: statement(sql, 'DELETE FROM work_claims WHERE expires_at <= ?'),
    };
  }

  /**
   * Claims `key` for this process; false when another claim on it (ours included) is still live, or
   * when `onlyIf` is given and does not hold (checked in the same statement).
   */
  async claim(key: string, now: Date, leaseMs = this.leaseMs, onlyIf?: ClaimCondition): Promise<boolean> {
    const params = {
      key,
      owner: this.owner,
      now: now.toISOString(),
      expires: new Date(now.getTime() + leaseMs).toISOString(),
    };
    if (!onlyIf) return (await this.s.claim.run(params)).changes > 0;
    return (await this.conditional(onlyIf.text).run({ ...onlyIf.params, ...params })).changes > 0;
  }

  /** The claim's upsert, inserting only where `condition` holds: one statement per condition text. */
  private conditional(condition: string): Statement {
    let st = this.conditions.get(condition);
    if (!st) {
      st = statement(
        this.sql,
        `INSERT INTO work_claims (key, owner, claimed_at, expires_at) SELECT @key, @owner, @now, @expires WHERE ${condition}
         ${TAKE_OVER_EXPIRED}`,
      );
      this.conditions.set(condition, st);
    }
    return st;
  }

  /** Claims each key no live claim holds, in one transaction; returns the keys claimed. */
  async claimMany(keys: string[], now: Date, leaseMs = this.leaseMs): Promise<string[]> {
    if (keys.length === 0) return [];
    return this.sql.write(async () => {
      const claimed: string[] = [];
      for (const k of keys) if (await this.claim(k, now, leaseMs)) claimed.push(k);
      return claimed;
    });
  }

  /** Extends this process's leases on `keys`, in one transaction. */
  async renewMany(keys: string[], now: Date, leaseMs = this.leaseMs): Promise<void> {
    await this.sql.write(async () => {
      for (const k of keys) await this.renew(k, now, leaseMs);
    });
  }

  /** Gives up each of `keys` this process holds, in one statement. */
  async releaseMany(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.s.releaseMany.run(this.owner, JSON.stringify(keys));
  }

  /**
   * Claims a periodic job's current run (`key` once per `periodMs`, across processes): the claim is
   * left to lapse shortly before the next run is due, not released, so the other processes, whose
   * timers fire the same minute, find it live and skip this run. A process that dies after claiming
   * costs one run.
   */
  async claimPeriod(key: string, now: Date, periodMs: number): Promise<boolean> {
    return this.claim(key, now, Math.max(periodMs - PERIOD_MARGIN_MS, periodMs / 2));
  }

  /** Extends this process's lease on `key`; false when the claim is no longer ours (taken over or released). */
  async renew(key: string, now: Date, leaseMs = this.leaseMs): Promise<boolean> {
    return (
      (await this.s.renew.run({ key, owner: this.owner, expires: new Date(now.getTime() + leaseMs).toISOString() }))
        .changes > 0
    );
  }

  /** Gives `key` up, if this process holds it. */
  async release(key: string): Promise<void> {
    await this.s.release.run(key, this.owner);
  }

  /** The current claim on `key`, live or expired. */
  async holder(key: string): Promise<ClaimHolder | undefined> {
    const r = (await this.s.holder.get(key)) as { owner: string; claimed_at: string; expires_at: string } | undefined;
    return r && { owner: r.owner, claimedAt: r.claimed_at, expiresAt: r.expires_at };
  }

  /** Deletes claims whose lease has passed (left by processes that died); returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    return (await this.s.purge.run(now.toISOString())).changes;
  }
}
