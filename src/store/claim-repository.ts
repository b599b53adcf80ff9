import type { Db } from './open-database.js';
import { writeTransaction } from './write-transaction.js';

/** How long a claim holds before anyone may take the work over, unless renewed. @unit milliseconds */
export const DEFAULT_LEASE_MS = 120_000;

/** How long before a periodic job's next run its claim lapses (timers in several processes drift). @unit milliseconds */
const PERIOD_MARGIN_MS = 30_000;

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

  /**
   * @param owner identifies this process (host, pid and a random part); never reused by a restart.
   * @param leaseMs the default lease. @unit milliseconds
   */
  constructor(
    private readonly db: Db,
    readonly owner: string,
    readonly leaseMs = DEFAULT_LEASE_MS,
  ) {
    this.s = {
      claim: db.prepare(
        `INSERT INTO work_claims (key, owner, claimed_at, expires_at) VALUES (@key, @owner, @now, @expires)
         ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
         WHERE work_claims.expires_at <= excluded.claimed_at`,
      ),
      renew: db.prepare('UPDATE work_claims SET expires_at = @expires WHERE key = @key AND owner = @owner'),
      release: db.prepare('DELETE FROM work_claims WHERE key = ? AND owner = ?'),
      holder: db.prepare('SELECT owner, claimed_at, expires_at FROM work_claims WHERE key = ?'),
      purge: db.prepare('DELETE FROM work_claims WHERE expires_at <= ?'),
    };
  }

  /** Claims `key` for this process; false when another claim on it (ours included) is still live. */
  claim(key: string, now: Date, leaseMs = this.leaseMs): boolean {
    return (
      this.s.claim.run({
        key,
        owner: this.owner,
        now: now.toISOString(),
        expires: new Date(now.getTime() + leaseMs).toISOString(),
      }).changes > 0
    );
  }

  /** Claims each key no live claim holds, in one transaction; returns the keys claimed. */
  claimMany(keys: string[], now: Date, leaseMs = this.leaseMs): string[] {
    if (keys.length === 0) return [];
    return writeTransaction(this.db, () => keys.filter((k) => this.claim(k, now, leaseMs)));
  }

  /** Extends this process's leases on `keys`, in one transaction. */
  renewMany(keys: string[], now: Date, leaseMs = this.leaseMs): void {
    writeTransaction(this.db, () => {
      for (const k of keys) this.renew(k, now, leaseMs);
    });
  }

  /** Gives up each of `keys` this process holds, in one transaction. */
  releaseMany(keys: string[]): void {
    writeTransaction(this.db, () => {
      for (const k of keys) this.release(k);
    });
  }

  /**
   * Claims a periodic job's current run (`key` once per `periodMs`, across processes): the claim is
   * left to lapse shortly before the next run is due, not released, so the other processes, whose
   * timers fire the same minute, find it live and skip this run. A process that dies after claiming
   * costs one run.
   */
  claimPeriod(key: string, now: Date, periodMs: number): boolean {
    return this.claim(key, now, Math.max(periodMs - PERIOD_MARGIN_MS, periodMs / 2));
  }

  /** Extends this process's lease on `key`; false when the claim is no longer ours (taken over or released). */
  renew(key: string, now: Date, leaseMs = this.leaseMs): boolean {
    return (
      this.s.renew.run({ key, owner: this.owner, expires: new Date(now.getTime() + leaseMs).toISOString() }).changes > 0
    );
  }

  /** Gives `key` up, if this process holds it. */
  release(key: string): void {
    this.s.release.run(key, this.owner);
  }

  /** The current claim on `key`, live or expired. */
  holder(key: string): ClaimHolder | undefined {
    const r = this.s.holder.get(key) as { owner: string; claimed_at: string; expires_at: string } | undefined;
    return r && { owner: r.owner, claimedAt: r.claimed_at, expiresAt: r.expires_at };
  }

  /** Deletes claims whose lease has passed (left by processes that died); returns how many. */
  purgeExpired(now: Date): number {
    return this.s.purge.run(now.toISOString()).changes;
  }
}
