import type { Clock } from '../core/clock.js';
import type { ClaimCondition, ClaimRepository } from './claim-repository.js';

/** The claim a piece of work runs under. */
export interface Lease {
  readonly key: string;
  /** Extends the lease now; false once another process has taken the work over (then stop, don't finish it). */
  renew(): Promise<boolean>;
}

export type Claimed<T> = { claimed: true; value: T } | { claimed: false };

/** How `withClaim` claims and releases. */
export interface ClaimOptions {
  /** The lease's length. @unit milliseconds */
  leaseMs?: number;
  /** Claim only where this holds, checked by the claim's own statement (see ClaimRepository.claim). */
  onlyIf?: ClaimCondition;
  /**
   * Hands the claim to the caller when the work ends instead of releasing it then, so that a caller
   * running many short pieces of work releases them together (ClaimRepository.releaseMany). Until it
   * does, the claim stays live, unrenewed, for at most its lease.
   */
  releaseLater?: (key: string) => void;
}

/**
 * Runs `work` only if this process can claim `key`: the lease is renewed every third of its length
 * while the work runs, and the claim is released when the work ends or throws. When another process
 * holds a live claim on `key` (or `onlyIf` does not hold), nothing runs and `{ claimed: false }` says so.
 */
export async function withClaim<T>(
  claims: ClaimRepository,
  clock: Clock,
  key: string,
  work: (lease: Lease) => T | Promise<T>,
  options: ClaimOptions = {},
): Promise<Claimed<T>> {
  const leaseMs = options.leaseMs ?? claims.leaseMs;
  if (!(await claims.claim(key, clock.now(), leaseMs, options.onlyIf))) return { claimed: false };
  let lost = false;
  const lease: Lease = {
    key,
    async renew() {
      if (lost) return false;
      try {
        lost = !(await claims.renew(key, clock.now(), leaseMs));
      } catch {
        // A busy or closing database: the lease still runs, and the next renewal tries again.
      }
      return !lost;
    },
  };
  const timer = setInterval(() => void lease.renew(), Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();
  try {
    return { claimed: true, value: await work(lease) };
  } finally {
    clearInterval(timer);
    // A lost claim is another process's now; an unreleased one simply expires after its lease.
    if (!lost && options.releaseLater) options.releaseLater(key);
    else if (!lost) await claims.release(key).catch(() => undefined);
  }
}

/**
 * Like `withClaim` for many keys at once: claims those no live claim holds (in one transaction), runs
 * `work` with them, renews their leases together while it runs and releases them after. Keys another
 * process holds are left out; with none claimed, `work` still runs, with an empty list.
 */
export async function withClaims<T>(
  claims: ClaimRepository,
  clock: Clock,
  keys: string[],
  work: (claimed: string[]) => T | Promise<T>,
  leaseMs = claims.leaseMs,
): Promise<T> {
  const now = clock.now();
  const claimed = await claims.claimMany(keys, now, leaseMs);
  if (claimed.length === 0) return work(claimed);
  const timer = setInterval(
    () => {
      // A busy or closing database: the next renewal tries again.
      claims.renewMany(claimed, clock.now(), leaseMs).catch(() => undefined);
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  try {
    return await work(claimed);
  } finally {
    clearInterval(timer);
    try {
      await claims.releaseMany(claimed);
    } catch {
      // Unreleased, the claims simply expire after their lease.
    }
  }
}
