import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuery } from '../src/ask/parse-query.js';
import { searchStories } from '../src/ask/search-stories.js';
import { buildServices } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import { buildArchive, loadQuestions } from '../test/helpers/ask-quality.js';
import { fakeClock } from '../test/helpers/fake-clock.js';
import { startServer } from '../test/helpers/feed-server.js';
import { OFFLINE_SOURCES } from '../test/helpers/test-services.js';
import { benchPollCycle } from './bench-ingest.js';

const ADMIN = process.env.AI_NEWS_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** A fresh PostgreSQL database for one measurement, or null when no server answers at AI_NEWS_BENCH_PG. */
export function pgDatabaseIfAny(): { url: string; drop: () => void } | null {
  try {
    execFileSync('psql', [ADMIN, '-qXc', 'SELECT 1'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return pgDatabase();
}

/** A fresh PostgreSQL database for one measurement, and how to drop it. */
function pgDatabase(): { url: string; drop: () => void } {
  const name = `ai_news_bench_${randomBytes(4).toString('hex')}`;
  execFileSync('psql', [ADMIN, '-qXc', `CREATE DATABASE ${name}`]);
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => execFileSync('psql', [ADMIN, '-qXc', `DROP DATABASE ${name} WITH (FORCE)`]),
  };
}

/**
 * Search latency over the labelled questions on the fixture archive, built through the real pipeline:
 * the p95 of five rounds, and of the last four alone ("warm": by then each engine has prepared and
 * planned the search's statements, as a running bot has; PostgreSQL does so per connection).
 */
async function searchP95(
  dir: string,
  env: Record<string, string>,
): Promise<{ p95: number; warmP95: number; roundTripP95: number }> {
  const server = await startServer();
  const clock = fakeClock();
  mkdirSync(dir, { recursive: true });
  const s = await buildServices(
    loadConfig({
      DATABASE_PATH: join(dir, 'search.sqlite'),
      ALLOW_PRIVATE_FEED_URLS: 'true',
      ...OFFLINE_SOURCES,
      ...env,
    }),
    { logger: silentLogger, clock },
  );
  await buildArchive({ services: s, clock }, server);
  const times: number[] = [];
  const warm: number[] = [];
  for (let round = 0; round < 5; round++)
    for (const q of loadQuestions()) {
      const t = performance.now();
      await searchStories(s, parseQuery(q.question, s.matcher), { now: clock.now() });
      const ms = performance.now() - t;
      times.push(ms);
      if (round > 0) warm.push(ms);
    }
  // The floor under any search: a statement that does nothing, through the same store (one round trip
  // to PostgreSQL; a call into SQLite), as many times as there were searches.
  const trips: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = performance.now();
    await s.sql.get('SELECT 1 AS one');
    trips.push(performance.now() - t);
  }
  await s.close();
  await server.close();
  const p95 = (xs: number[]) =>
    percentile(
      xs.sort((a, b) => a - b),
      95,
    );
  return { p95: p95(times), warmP95: p95(warm), roundTripP95: p95(trips) };
}

/**
 * Poll cycle (200 loopback feeds, 90% unchanged) and search p95 (all rounds, and warm), on SQLite and on
 * PostgreSQL, one run each, with the p95 of a bare PostgreSQL round trip measured beside the search.
 */
export async function benchEngines(dir: string): Promise<Record<string, number>> {
  const sqlitePoll = await benchPollCycle(join(dir, 'e-sqlite'), 200);
  const sqliteSearch = await searchP95(join(dir, 'e-sqlite-search'), {});
  const poll = pgDatabase();
  let pgPoll: Record<string, number>;
  try {
    pgPoll = await benchPollCycle(join(dir, 'e-pg'), 200, { DATABASE_URL: poll.url });
  } finally {
    poll.drop();
  }
  const search = pgDatabase();
  let pgSearch: Awaited<ReturnType<typeof searchP95>>;
  try {
    pgSearch = await searchP95(join(dir, 'e-pg-search'), { DATABASE_URL: search.url });
  } finally {
    search.drop();
  }
  return {
    sqliteFirstCycleMs: sqlitePoll.firstCycleMs as number,
    sqliteCycleMs: sqlitePoll.cycleMs as number,
    pgFirstCycleMs: pgPoll.firstCycleMs as number,
    pgCycleMs: pgPoll.cycleMs as number,
    firstCycleRatio: (pgPoll.firstCycleMs as number) / (sqlitePoll.firstCycleMs as number),
    cycleRatio: (pgPoll.cycleMs as number) / (sqlitePoll.cycleMs as number),
    sqliteSearchP95Ms: sqliteSearch.p95,
    pgSearchP95Ms: pgSearch.p95,
    searchRatio: pgSearch.p95 / sqliteSearch.p95,
    sqliteWarmSearchP95Ms: sqliteSearch.warmP95,
    pgWarmSearchP95Ms: pgSearch.warmP95,
    warmSearchRatio: pgSearch.warmP95 / sqliteSearch.warmP95,
    // A bare round trip's p95 against SQLite's whole search: where it is near or above 2, no search on
    // this small archive can be within 2× of SQLite's (see docs/deployment.md, sizing).
    pgRoundTripP95Ms: pgSearch.roundTripP95,
    roundTripToSqliteSearchRatio: pgSearch.roundTripP95 / sqliteSearch.p95,
  };
}
