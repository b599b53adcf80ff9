import type { EntityKind, EntityRepository } from '../store/entity-repository.js';

/** One row of a trend table: this window's share against the previous window's. */
export interface TrendRow {
  key: string;
  name: string;
  /** Share of tagged stories, 0..1; a story naming two labs counts half for each. */
  share: number;
  previousShare: number;
  /** Change in percentage points. */
  change: number;
  stories: number;
  previousStories: number;
  /** Stories per day across the window, oldest first. */
  daily: number[];
}

export interface Trends {
  days: number;
  from: string;
  to: string;
  stories: number;
  previousStories: number;
  labs: TrendRow[];
  origins: TrendRow[];
  openness: TrendRow[];
  /** Labs whose share grew most (at least two stories this window). */
  rising: TrendRow[];
  measure: string;
}

export const MEASURE =
  'Share of the stories in this bot’s feeds that name each lab, origin or openness (a story naming two counts half for each) — coverage, not usage.';

function rows(
  current: { storyId: number; kind: EntityKind; key: string; name: string; at: number }[],
  previous: { storyId: number; kind: EntityKind; key: string; name: string }[],
  kind: EntityKind,
  from: number,
  days: number,
): TrendRow[] {
  const tally = (list: { storyId: number; kind: EntityKind; key: string; name: string }[]) => {
    const perStory = new Map<number, string[]>();
    const names = new Map<string, string>();
    for (const t of list) {
      if (t.kind !== kind) continue;
      perStory.set(t.storyId, [...(perStory.get(t.storyId) ?? []), t.key]);
      names.set(t.key, t.name);
    }
    const weight = new Map<string, number>();
    const count = new Map<string, number>();
    for (const keys of perStory.values()) {
      for (const k of keys) {
        weight.set(k, (weight.get(k) ?? 0) + 1 / keys.length);
        count.set(k, (count.get(k) ?? 0) + 1);
      }
    }
    return { weight, count, names, total: perStory.size };
  };
  const now = tally(current);
  const before = tally(previous);
  const keys = new Set([...now.weight.keys(), ...before.weight.keys()]);
  const out: TrendRow[] = [];
  for (const key of keys) {
    const share = now.total ? (now.weight.get(key) ?? 0) / now.total : 0;
    const previousShare = before.total ? (before.weight.get(key) ?? 0) / before.total : 0;
    const daily = Array.from({ length: days }, () => 0);
    for (const t of current) {
      if (t.kind !== kind || t.key !== key) continue;
      const d = Math.min(days - 1, Math.max(0, Math.floor((t.at - from) / 86_400_000)));
      daily[d] = (daily[d] ?? 0) + 1;
    }
    out.push({
      key,
      name: now.names.get(key) ?? before.names.get(key) ?? key,
      share,
      previousShare,
      change: Math.round((share - previousShare) * 1000) / 10,
      stories: now.count.get(key) ?? 0,
      previousStories: before.count.get(key) ?? 0,
      daily,
    });
  }
  return out.sort((a, b) => b.share - a.share || b.stories - a.stories || a.key.localeCompare(b.key));
}

/**
 * The ecosystem pulse over the last `days` (by story publication time) against the `days` before:
 * shares by lab, origin and openness, and the labs rising fastest, over the stories `storyDates` gives.
 */
export async function computeTrends(
  entities: EntityRepository,
  now: Date,
  days: number,
  storyDates: (from: Date, to: Date) => Promise<Map<number, string>>,
): Promise<Trends> {
  const to = now;
  const from = new Date(now.getTime() - days * 86_400_000);
  const prevFrom = new Date(from.getTime() - days * 86_400_000);
  // `storyDates` decides which stories count (a team's: those it can see), in both windows.
  const dates = await storyDates(from, to);
  const previousDates = await storyDates(prevFrom, from);
  const current = (await entities.tagsInWindow(from, to))
    .filter((t) => dates.has(t.storyId))
    .map((t) => ({
      ...t,
      at: Date.parse(dates.get(t.storyId) ?? to.toISOString()),
    }));
  const previous = (await entities.tagsInWindow(prevFrom, from)).filter((t) => previousDates.has(t.storyId));
  const labs = rows(current, previous, 'lab', from.getTime(), days);
  return {
    days,
    from: from.toISOString(),
    to: to.toISOString(),
    stories: dates.size,
    previousStories: previousDates.size,
    labs,
    origins: rows(current, previous, 'origin', from.getTime(), days),
    openness: rows(current, previous, 'openness', from.getTime(), days),
    rising: labs
      .filter((r) => r.stories >= 2 && r.change > 0)
      .sort((a, b) => b.change - a.change)
      .slice(0, 3),
    measure: MEASURE,
  };
}
