/**
 * vitest globalSetup for the PostgreSQL project: one database per run (ai_news_test_<random>), dropped
 * at the end; each test store gets its own schema in it (test-services.ts). If the server is down, one
 * attempt to start the local cluster, then one clear message.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';

const ADMIN_URL = process.env.AI_NEWS_TEST_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

function tryStart(): void {
  try {
    for (const version of readdirSync('/etc/postgresql'))
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'ignore' });
  } catch {
    // Reported below as unreachable.
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  if (!(await reachable())) {
    tryStart();
    if (!(await reachable()))
      throw new Error(
        `PostgreSQL tests: no server at ${ADMIN_URL}; start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set AI_NEWS_TEST_PG_ADMIN`,
      );
  }
  const name = `ai_news_test_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  // Extensions once, in public, so every test schema finds them on its search path.
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await db.query('CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await db.end();
  process.env.AI_NEWS_TEST_PG_URL = url.toString();
  return async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
}
