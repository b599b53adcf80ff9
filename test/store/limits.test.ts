import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitRepository } from '../../src/store/rate-limit-repository.js';
import { SlackEventRepository } from '../../src/store/slack-event-repository.js';
import { tempDir, twoConnections } from '../helpers/test-services.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const at = (iso: string) => new Date(iso);

describe('SlackEventRepository', () => {
  it('claims an event id once across connections to one database, and forgets it after a day', async () => {
    const { a, b, close } = await twoConnections(t.dir, 'e.sqlite');
    const ea = new SlackEventRepository(a);
    const eb = new SlackEventRepository(b);
    expect(await ea.claim('Ev1', at('2026-11-20T08:00:00Z'))).toBe(true);
    expect(await eb.claim('Ev1', at('2026-11-20T08:05:00Z'))).toBe(false);
    expect(await ea.claim('Ev2', at('2026-11-20T08:06:00Z'))).toBe(true);
    // A day later the first id is gone (the table stays bounded); Slack never retries that late.
    expect(await eb.claim('Ev3', at('2026-11-21T08:01:00Z'))).toBe(true);
    const ids = await a.all<{ event_id: string }>('SELECT event_id FROM slack_events ORDER BY event_id');
    expect(ids.map((r) => r.event_id)).toEqual(['Ev2', 'Ev3']);
    await close();
  });
});

describe('RateLimitRepository', () => {
  it('allows `limit` uses per sliding window across connections, says when the next is allowed, and gives uses back', async () => {
    const both = await twoConnections(t.dir, 'r.sqlite');
    const a = new RateLimitRepository(both.a);
    const b = new RateLimitRepository(both.b);
    const hour = 3_600_000;
    const first = await a.tryTake('ask:U1', 2, hour, at('2026-11-20T08:00:00Z'));
    expect(first.allowed).toBe(true);
    expect((await b.tryTake('ask:U1', 2, hour, at('2026-11-20T08:10:00Z'))).allowed).toBe(true);
    expect(await a.tryTake('ask:U1', 2, hour, at('2026-11-20T08:20:00Z'))).toEqual({
      allowed: false,
      retryAt: at('2026-11-20T09:00:00Z'),
    });
    expect((await b.tryTake('ask:U2', 2, hour, at('2026-11-20T08:20:00Z'))).allowed).toBe(true);
    if (first.allowed) await a.release(first.hitId);
    expect((await b.tryTake('ask:U1', 2, hour, at('2026-11-20T08:21:00Z'))).allowed).toBe(true);
    expect((await a.tryTake('ask:U1', 2, hour, at('2026-11-20T09:10:01Z'))).allowed).toBe(true);
    expect((await a.tryTake('any', Number.POSITIVE_INFINITY, hour, at('2026-11-20T09:10:01Z'))).allowed).toBe(true);
    await both.close();
  });
});
