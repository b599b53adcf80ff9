import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localParts, zonedTime } from '../../src/core/zoned-time.js';
import { dueDigests } from '../../src/digest/send-digest.js';
import { testServices } from '../helpers/test-services.js';

describe('zonedTime across daylight-saving changes', () => {
  it.each([
    // Europe/Madrid: CET (+1) → CEST (+2) on 2026-03-29, back on 2026-10-25.
    ['Europe/Madrid, winter', [2026, 1, 15, 8, 30], 'Europe/Madrid', '2026-01-15T07:30:00.000Z'],
    ['Europe/Madrid, summer', [2026, 7, 15, 8, 30], 'Europe/Madrid', '2026-07-15T06:30:00.000Z'],
    ['Europe/Madrid, the morning clocks go forward', [2026, 3, 29, 8, 30], 'Europe/Madrid', '2026-03-29T06:30:00.000Z'],
    ['Europe/Madrid, the morning clocks go back', [2026, 10, 25, 8, 30], 'Europe/Madrid', '2026-10-25T07:30:00.000Z'],
    [
      'Europe/Madrid, a time skipped by the jump moves forward',
      [2026, 3, 29, 2, 30],
      'Europe/Madrid',
      '2026-03-29T01:30:00.000Z',
    ],
    [
      'Europe/Madrid, a time that happens twice resolves to the first',
      [2026, 10, 25, 2, 30],
      'Europe/Madrid',
      '2026-10-25T00:30:00.000Z',
    ],
    // America/New_York: EST (-5) → EDT (-4) on 2026-03-08, back on 2026-11-01.
    ['New York, before the change', [2026, 3, 7, 9, 0], 'America/New_York', '2026-03-07T14:00:00.000Z'],
    ['New York, after the change', [2026, 3, 8, 9, 0], 'America/New_York', '2026-03-08T13:00:00.000Z'],
    ['New York, skipped 02:30', [2026, 3, 8, 2, 30], 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['New York, doubled 01:30', [2026, 11, 1, 1, 30], 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['New York, after the fall change', [2026, 11, 2, 9, 0], 'America/New_York', '2026-11-02T14:00:00.000Z'],
  ] as const)('%s', (_name, [y, m, d, h, mi], tz, iso) => {
    expect(zonedTime(y, m, d, h, mi, tz).toISOString()).toBe(iso);
  });
});

describe('dueDigests', () => {
  let t: Awaited<ReturnType<typeof testServices>>;
  beforeEach(async () => {
    t = await testServices();
  });
  afterEach(() => t.close());

  const subscribe = async (id: string, time: string, tz: string) =>
    await t.services.channels.subscribe(id, { digestTime: time, timezone: tz }, 'test', t.clock.now());
  const due = async (at: string) =>
    (await dueDigests(t.services, new Date(at))).map((d) => `${d.channel.id}@${d.windowKey}`);

  it('is due from the channel’s local time on, in its own zone, across both DST changes', async () => {
    await subscribe('CMAD', '08:30', 'Europe/Madrid');
    await subscribe('CNYC', '09:00', 'America/New_York');
    expect(await due('2026-03-29T06:29:00Z')).toEqual([]);
    expect(await due('2026-03-29T06:30:00Z')).toEqual(['CMAD@2026-03-29']);
    expect(await due('2026-10-25T07:29:00Z')).toEqual([]);
    expect(await due('2026-10-25T07:30:00Z')).toEqual(['CMAD@2026-10-25']);
    const nyc = async (at: string) => (await due(at)).filter((k) => k.startsWith('CNYC'));
    expect(await nyc('2026-03-08T12:59:00Z')).toEqual([]);
    expect(await nyc('2026-03-08T13:00:00Z')).toEqual(['CNYC@2026-03-08']);
    expect(await nyc('2026-11-01T13:59:00Z')).toEqual([]);
    expect(await nyc('2026-11-01T14:00:00Z')).toEqual(['CNYC@2026-11-01']);
  });

  it('uses DEFAULT_TIMEZONE when the channel sets none', async () => {
    await t.close();
    t = await testServices({ DEFAULT_TIMEZONE: 'Asia/Shanghai' });
    await t.services.channels.subscribe('CSH', { digestTime: '09:00' }, 'test', t.clock.now());
    expect(await due('2026-06-01T00:59:00Z')).toEqual([]);
    expect(await due('2026-06-01T01:00:00Z')).toEqual(['CSH@2026-06-01']);
  });

  it('catches up a missed digest within the grace period, even across midnight, and not after', async () => {
    await subscribe('CLATE', '23:00', 'UTC');
    expect(await due('2026-11-29T02:00:00Z')).toEqual(['CLATE@2026-11-28']);
    expect(await due('2026-11-29T05:30:00Z')).toEqual([]);
    await subscribe('CAM', '08:00', 'UTC');
    expect(await due('2026-11-29T13:59:00Z')).toEqual(['CAM@2026-11-29']);
    expect(await due('2026-11-29T14:01:00Z')).toEqual([]);
  });

  it('is never due twice for one local day, even when 01:30 happens twice', async () => {
    await subscribe('CNYC', '01:30', 'America/New_York');
    const first = await dueDigests(t.services, new Date('2026-11-01T05:30:00Z'));
    expect(first.map((d) => d.windowKey)).toEqual(['2026-11-01']);
    const c = first[0]?.channel;
    const record = await t.services.digests.claim(
      {
        channelId: 'CNYC',
        windowKey: '2026-11-01',
        from: new Date(0),
        to: new Date(),
        storyIds: [],
        tokens: 0,
        messages: [],
      },
      t.clock.now(),
    );
    await t.services.digests.markPosted(record?.id as number, '1.1', t.clock.now());
    expect(c?.id).toBe('CNYC');
    expect(localParts(new Date('2026-11-01T06:30:00Z'), 'America/New_York').hour).toBe(1); // the second 01:30
    expect(await due('2026-11-01T06:30:00Z')).toEqual([]);
  });

  it('skips unsubscribed channels', async () => {
    await subscribe('COFF', '08:00', 'UTC');
    await t.services.channels.unsubscribe('COFF', t.clock.now());
    expect(await due('2026-11-29T08:00:00Z')).toEqual([]);
  });
});
