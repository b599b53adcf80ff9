import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaimRepository } from '../../src/store/claim-repository.js';
import { withClaim, withClaims } from '../../src/store/with-claim.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { tempDir, twoConnections } from '../helpers/test-services.js';

/** Two processes' views of one database: each its own connection and owner. */
let t: ReturnType<typeof tempDir>;
let both: Awaited<ReturnType<typeof twoConnections>>;
let a: ClaimRepository;
let b: ClaimRepository;
const clock = fakeClock('2026-11-20T08:00:00Z');

beforeEach(async () => {
  t = tempDir();
  clock.set('2026-11-20T08:00:00Z');
  both = await twoConnections(t.dir, 'claims.sqlite');
  a = new ClaimRepository(both.a, 'host:1:a', 1000);
  b = new ClaimRepository(both.b, 'host:2:b', 1000);
});
afterEach(async () => {
  await both.close();
  t.cleanup();
});

describe('work claims', () => {
  it('refuses a live lease to everyone, its owner included', async () => {
    expect(await a.claim('feed:1', clock.now())).toBe(true);
    expect(await b.claim('feed:1', clock.now())).toBe(false);
    expect(await a.claim('feed:1', clock.now())).toBe(false);
    clock.advance(999);
    expect(await b.claim('feed:1', clock.now())).toBe(false);
    expect(await b.holder('feed:1')).toMatchObject({ owner: 'host:1:a', expiresAt: '2026-11-20T08:00:01.000Z' });
  });

  it('hands an expired lease to the next claimant, and the old owner can no longer renew it', async () => {
    expect(await a.claim('feed:1', clock.now())).toBe(true);
    clock.advance(1000);
    expect(await b.claim('feed:1', clock.now())).toBe(true);
    expect((await a.holder('feed:1'))?.owner).toBe('host:2:b');
    expect(await a.renew('feed:1', clock.now())).toBe(false);
    await a.release('feed:1'); // not its claim any more: nothing happens
    expect((await a.holder('feed:1'))?.owner).toBe('host:2:b');
  });

  it('lets the owner renew its lease and release it; released work can be claimed at once', async () => {
    expect(await a.claim('digest:C1:2026-11-20', clock.now())).toBe(true);
    clock.advance(900);
    expect(await a.renew('digest:C1:2026-11-20', clock.now())).toBe(true);
    clock.advance(900); // past the first lease, within the renewed one
    expect(await b.claim('digest:C1:2026-11-20', clock.now())).toBe(false);
    await a.release('digest:C1:2026-11-20');
    expect(await a.holder('digest:C1:2026-11-20')).toBeUndefined();
    expect(await b.claim('digest:C1:2026-11-20', clock.now())).toBe(true);
  });

  it('claims many keys at once, leaving out those another process holds', async () => {
    expect(await b.claim('summary:2', clock.now())).toBe(true);
    expect(await a.claimMany(['summary:1', 'summary:2', 'summary:3'], clock.now())).toEqual(['summary:1', 'summary:3']);
    await a.releaseMany(['summary:1', 'summary:2', 'summary:3']);
    expect(await b.holder('summary:1')).toBeUndefined();
    expect((await b.holder('summary:2'))?.owner).toBe('host:2:b'); // b's claim is not a's to release
  });

  it('takes a claim only where its condition holds, checked in the claim itself; a live claim still wins', async () => {
    await both.a.run('CREATE TABLE jobs (id INTEGER PRIMARY KEY, runs INTEGER NOT NULL)');
    await both.a.run('INSERT INTO jobs (id, runs) VALUES (1, 0), (2, 3)');
    const unrun = (id: number) => ({
      text: 'EXISTS (SELECT 1 FROM jobs WHERE id = @jobId AND runs = 0)',
      params: { jobId: id },
    });
    expect(await a.claim('job:2', clock.now(), undefined, unrun(2))).toBe(false);
    expect(await a.holder('job:2')).toBeUndefined();
    expect(await a.claim('job:1', clock.now(), undefined, unrun(1))).toBe(true);
    expect(await b.claim('job:1', clock.now(), undefined, unrun(1))).toBe(false);
    clock.advance(1000); // a's lease ran out: b takes it over, still only while the job has not run
    await both.a.run('UPDATE jobs SET runs = 1 WHERE id = 1');
    expect(await b.claim('job:1', clock.now(), undefined, unrun(1))).toBe(false);
    await both.a.run('UPDATE jobs SET runs = 0 WHERE id = 1');
    expect(await b.claim('job:1', clock.now(), undefined, unrun(1))).toBe(true);
    expect((await a.holder('job:1'))?.owner).toBe('host:2:b');
  });

  it('runs a periodic job once per period across processes', async () => {
    const period = 15 * 60_000;
    expect(await a.claimPeriod('job:feed-alerts', clock.now(), period)).toBe(true);
    clock.advance(50); // the other process's timer fires the same minute
    expect(await b.claimPeriod('job:feed-alerts', clock.now(), period)).toBe(false);
    clock.advance(period - 50); // the next run
    expect(await b.claimPeriod('job:feed-alerts', clock.now(), period)).toBe(true);
  });

  it('purges leases left by dead processes', async () => {
    await a.claim('feed:1', clock.now());
    await b.claim('feed:2', clock.now(), 5000);
    clock.advance(2000);
    expect(await a.purgeExpired(clock.now())).toBe(1);
    expect(await a.holder('feed:1')).toBeUndefined();
    expect((await a.holder('feed:2'))?.owner).toBe('host:2:b');
  });
});

describe('withClaim', () => {
  it('runs the work only when claimed, and releases the claim after it, even when it throws', async () => {
    const ran: string[] = [];
    const first = await withClaim(a, clock, 'feed:1', async () => {
      ran.push('a');
      // While a works, b is refused and does nothing.
      expect(await withClaim(b, clock, 'feed:1', () => ran.push('b'))).toEqual({ claimed: false });
      return 42;
    });
    expect(first).toEqual({ claimed: true, value: 42 });
    expect(ran).toEqual(['a']);
    expect(await a.holder('feed:1')).toBeUndefined();
    await expect(
      withClaim(b, clock, 'feed:1', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await a.holder('feed:1')).toBeUndefined();
  });

  it('keeps renewing the lease while long work runs, so nobody takes it over', async () => {
    const shortA = new ClaimRepository(both.a, 'host:1:a', 30); // renewed every 10 ms
    const r = await withClaim(shortA, clock, 'feed:9', async () => {
      let refused = 0;
      // Ten times two-thirds of a lease pass (five leases in all); after each, the renewal comes and b is refused.
      for (let i = 0; i < 10; i++) {
        const before = (await b.holder('feed:9'))?.expiresAt;
        clock.advance(20);
        while ((await b.holder('feed:9'))?.expiresAt === before) await new Promise((res) => setTimeout(res, 2));
        if (!(await b.claim('feed:9', clock.now()))) refused++;
      }
      return refused;
    });
    expect(r).toEqual({ claimed: true, value: 10 });
  });

  it('tells the work when its lease was lost to another process', async () => {
    const r = await withClaim(a, clock, 'digest:C1:x', async (lease) => {
      clock.advance(1000); // the lease ran out without a renewal…
      expect(await b.claim('digest:C1:x', clock.now())).toBe(true); // …and b took the work over
      return await lease.renew();
    });
    expect(r).toEqual({ claimed: true, value: false });
    expect((await a.holder('digest:C1:x'))?.owner).toBe('host:2:b'); // a did not release b's claim
  });

  it('hands the claim to releaseLater when asked: live until the caller releases it, never once known lost', async () => {
    const later: string[] = [];
    const r = await withClaim(a, clock, 'feed:3', () => 'polled', { releaseLater: (k) => later.push(k) });
    expect(r).toEqual({ claimed: true, value: 'polled' });
    expect(later).toEqual(['feed:3']);
    expect(await b.claim('feed:3', clock.now())).toBe(false);
    await a.releaseMany(later);
    expect(await b.claim('feed:3', clock.now())).toBe(true);
    const lost = await withClaim(
      a,
      clock,
      'feed:4',
      async (lease) => {
        clock.advance(1000);
        await b.claim('feed:4', clock.now());
        await lease.renew(); // the work learns it lost the claim
      },
      { releaseLater: (k) => later.push(k) },
    );
    expect(lost.claimed).toBe(true);
    expect(later).toEqual(['feed:3']); // b's claim is not handed over…
    await a.releaseMany(['feed:4']); // …and releasing it anyway leaves it b's
    expect((await a.holder('feed:4'))?.owner).toBe('host:2:b');
  });

  it('withClaims hands the work only the keys it could claim', async () => {
    await b.claim('summary:2', clock.now());
    const got = await withClaims(a, clock, ['summary:1', 'summary:2'], (keys) => keys);
    expect(got).toEqual(['summary:1']);
    expect(await a.holder('summary:1')).toBeUndefined();
  });
});
