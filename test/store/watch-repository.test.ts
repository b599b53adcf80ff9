import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WatchRepository } from '../../src/store/watch-repository.js';
import { tempDir, twoConnections } from '../helpers/test-services.js';

let t: ReturnType<typeof tempDir>;
const now = new Date('2026-11-20T08:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const message = { text: 'hello', blocks: [] };

beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('WatchRepository', () => {
  it('claims a story once per channel, even from a second connection to the same database', async () => {
    const { a, b, close } = await twoConnections(t.dir, 'w.sqlite');
    const wa = new WatchRepository(a);
    const wb = new WatchRepository(b);
    const claim = async (w: WatchRepository, channelId: string, storyIds: number[]) =>
      await w.claimAnnouncement(
        {
          channelId,
          kind: storyIds.length > 1 ? 'fold' : 'story',
          message,
          subjects: storyIds.map((storyId) => ({ storyId, ruleId: 1, itemIds: [storyId * 10] })),
        },
        now,
        later(600_000),
      );
    expect((await claim(wa, 'C1', [1]))?.status).toBe('pending');
    expect(await claim(wb, 'C1', [1])).toBeUndefined();
    // A fold that includes a story already claimed claims nothing at all.
    expect(await claim(wb, 'C1', [2, 1])).toBeUndefined();
    expect(await wa.claimedStories('C1', [1, 2])).toEqual(new Set([1]));
    expect((await claim(wb, 'C2', [1]))?.channelId).toBe('C2');
    await close();
  });

  it('leases a pending message to one process at a time, and hands it over once the lease runs out', async () => {
    const { a: db, close } = await twoConnections(t.dir, 'w.sqlite');
    const w = new WatchRepository(db);
    const m = await w.claimAnnouncement(
      { channelId: 'C1', kind: 'story', message, subjects: [{ storyId: 1, ruleId: null }] },
      now,
      later(600_000),
    );
    expect(m).toBeDefined();
    expect(await w.pending(later(60_000))).toEqual([]);
    expect(await w.lease(m?.id as number, later(60_000), later(700_000))).toBe(false);
    expect((await w.pending(later(600_000))).map((x) => x.id)).toEqual([m?.id]);
    expect(await w.lease(m?.id as number, later(600_000), later(1_200_000))).toBe(true);
    expect(await w.lease(m?.id as number, later(600_001), later(1_200_000))).toBe(false);
    await w.markPosted(m?.id as number, '1.000001', later(600_002));
    expect(await w.pending(later(10_000_000))).toEqual([]);
    expect(await w.announcedIn('C1', [1, 2])).toEqual(new Set([1]));
    await close();
  });

  it('reassignStory moves a channel’s record to the surviving story, or merges it into the one it had', async () => {
    const { a: db, close } = await twoConnections(t.dir, 'w.sqlite');
    const w = new WatchRepository(db);
    const announce = async (channelId: string, storyId: number, items: number[]) =>
      await w.claimAnnouncement(
        { channelId, kind: 'story', message, subjects: [{ storyId, ruleId: null, itemIds: items }] },
        now,
        later(1),
      );
    await announce('C1', 10, [100]);
    await announce('C1', 20, [200, 201]);
    await announce('C2', 20, [200]);
    await w.reassignStory(20, 10);
    expect(await w.claimedStories('C1', [10, 20])).toEqual(new Set([10]));
    expect(await w.claimedStories('C2', [10, 20])).toEqual(new Set([10]));
    // C1's surviving record now counts the merged story's items as shown.
    const covered = await db.all<{ item_id: number }>(
      'SELECT c.item_id FROM watch_post_items c JOIN watch_posts p ON p.id = c.post_id WHERE p.channel_id = ? ORDER BY 1',
      ['C1'],
    );
    expect(covered.map((r) => r.item_id)).toEqual([100, 200, 201]);
    await w.reassignStory(10, 10);
    expect(await w.claimedStories('C1', [10])).toEqual(new Set([10]));
    await close();
  });
});
