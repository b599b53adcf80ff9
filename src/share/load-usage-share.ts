import { AUTHORS, type Services } from '../compose.js';
import { createAttribution } from './attribute-usage.js';
import { computeShare, shareWindows, type UsageShare } from './compute-share.js';

/** The usage share of the last `days` full UTC days (and the days before) from the stored rankings. */
export async function loadUsageShare(s: Services, days: number): Promise<UsageShare | null> {
  const w = shareWindows(s.clock.now(), days);
  const rows = await s.rankings.between(w.previous.from, w.current.to);
  if (rows.length === 0) return null;
  return computeShare(rows, createAttribution(await s.modelList.all(), s.matcher, AUTHORS), s.clock.now(), days);
}
