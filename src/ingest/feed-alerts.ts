import { feedState } from '../commands/feeds-command.js';
import type { Services } from '../compose.js';
import { DEFAULT_TEAM } from '../core/team.js';

/** A feed admins should hear about. */
export interface FeedAlert {
  feedId: number;
  title: string;
  url: string;
  state: 'paused' | 'stale';
  detail: string;
}

/**
 * The team's feeds that became paused or stale since its admins were last told, marked as alerted;
 * feeds that recovered are cleared, so the next episode alerts again. One alert per episode, not per
 * poll, and per subscribing team: a feed two teams share alerts each of them once.
 */
export async function collectFeedAlerts(s: Services, team: string = DEFAULT_TEAM): Promise<FeedAlert[]> {
  const now = s.clock.now();
  const alerts: FeedAlert[] = [];
  for (const f of await s.feeds.health(now, team)) {
    const state = feedState(f, now);
    const { reason } = await s.feeds.alertOf(f.id, team);
    if (state !== 'paused' && state !== 'stale') {
      if (reason) await s.feeds.setAlert(f.id, null, null, team);
      continue;
    }
    if (reason === state) continue;
    await s.feeds.setAlert(f.id, state, now, team);
    alerts.push({
      feedId: f.id,
      title: f.title ?? f.url,
      url: f.url,
      state,
      detail:
        state === 'paused'
          ? `paused after ${f.errorCount} failures: ${f.lastError ?? 'unknown error'}`
          : `newest item is from ${f.newestItemAt?.slice(0, 10) ?? 'never'}`,
    });
  }
  return alerts;
}
