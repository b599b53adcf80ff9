import type { Services } from '../compose.js';
import { errorMessage } from '../core/errors.js';

/** What /healthz reports. */
export interface Health {
  ok: boolean;
  database: 'writable' | string;
  lastPollAt: string | null;
  schedulerRunning: boolean;
  problems: string[];
}

/**
 * Healthy when the database takes a write lock, the scheduler runs, and a poll finished recently
 * (within three poll cycles, or the service has only just started).
 */
export async function checkHealth(
  s: Services,
  state: { schedulerRunning: boolean; startedAt: Date; pollEveryMs: number },
): Promise<Health> {
  const problems: string[] = [];
  let database = 'writable';
  try {
    // An empty write transaction: takes the write lock (SQLite) or a connection (PostgreSQL) and gives it back.
    await s.sql.write(async () => undefined);
  } catch (err) {
    database = `not writable: ${errorMessage(err)}`;
    problems.push(`database ${database}`);
  }
  let lastPollAt: string | null = null;
  try {
    lastPollAt =
      ((await s.sql.get('SELECT max(last_checked_at) AS t FROM feeds')) as { t: string | null } | undefined)?.t ?? null;
  } catch {}
  const now = s.clock.now().getTime();
  const stale = 3 * state.pollEveryMs;
  if (now - state.startedAt.getTime() > stale && (!lastPollAt || now - Date.parse(lastPollAt) > stale))
    problems.push('no poll has finished recently');
  if (!state.schedulerRunning) problems.push('the scheduler is not running');
  return { ok: problems.length === 0, database, lastPollAt, schedulerRunning: state.schedulerRunning, problems };
}
