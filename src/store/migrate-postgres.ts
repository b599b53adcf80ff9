import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import { PostgresSql } from './postgres-sql.js';

/** The PostgreSQL migrations: the same version numbers as db/migrations, in PostgreSQL's dialect. */
export const PG_MIGRATIONS_DIR = new URL('../../db/migrations-postgres/', import.meta.url);

/** Any constant works; this one only needs to differ from the jobs' advisory locks. */
const MIGRATION_LOCK = 7_161_001;

function listMigrations(dir: URL): { version: number; name: string; sql: string }[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 4)), name, sql: readFileSync(new URL(name, dir), 'utf8') }));
}

/** The URL without its password, for messages and `stats`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * Applies pending migrations, one at a time under a session advisory lock, so replicas starting at once
 * apply each exactly once (the others wait, then find nothing to do). `schema_version` holds one row per
 * applied version; a database newer than this code is refused before anything is written.
 */
export async function migratePostgres(sql: PostgresSql, dir: URL = PG_MIGRATIONS_DIR): Promise<number[]> {
  const client = await sql.pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at text NOT NULL)',
    );
    const current = Number(
      (await client.query('SELECT coalesce(max(version), 0) AS v FROM schema_version')).rows[0]?.v ?? 0,
    );
    const all = listMigrations(dir);
    const latest = all.at(-1)?.version ?? 0;
    if (current > latest)
      throw new AppError(
        'database_unusable',
        `has schema v${current}, newer than this version of ai-news knows (v${latest}); run the newer ai-news, or restore a backup made before the upgrade`,
      );
    for (const m of all) {
      if (m.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO schema_version (version, applied_at)
           VALUES ($1, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`,
          [m.version],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** Opens a pool on DATABASE_URL and migrates it; problems throw AppError('database_unusable') naming the URL. */
export async function openPostgres(
  url: string,
  options: { migrate?: boolean; max?: number } = {},
): Promise<PostgresSql> {
  const where = redactUrl(url);
  // Idle connections are kept five minutes, not pg's default ten seconds: each holds the statements it
  // prepared, and a question asked now and then would otherwise find them gone. TCP keepalive notices a
  // dead server meanwhile, and idle connections never keep a finished CLI command running.
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    idleTimeoutMillis: 300_000,
    keepAlive: true,
    allowExitOnIdle: true,
  });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // No parallel plans for this service's sessions: its statements are short and interactive, and the
  // plans that went parallel were a search's walk of the newest stories, where starting workers cost
  // more than the walk (search p95 on 100k stories 136 -> 77 ms, bench search). Queued before the
  // client's first statement; a server or pooler that refuses it only keeps its default.
  pool.on('connect', (client) => {
    client.query('SET max_parallel_workers_per_gather = 0').catch(() => undefined);
  });
  const sql = new PostgresSql(pool, where, (s) => migratePostgres(s));
  try {
    if (options.migrate !== false) await sql.migrate();
    else await sql.get('SELECT 1');
    return sql;
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof AppError) throw new AppError(err.code, `DATABASE_URL ${where} ${err.message}`, { cause: err });
    throw new AppError('database_unusable', `DATABASE_URL ${where} cannot be used: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
