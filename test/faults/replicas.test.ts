import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, expect, it } from 'vitest';
import { buildServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { type FakeMessage, startFakeSlack } from '../helpers/fake-slack.js';
import { type Route, serve, startServer } from '../helpers/feed-server.js';
import { startServeProcess } from '../helpers/serve-process.js';
import { labFeed, OFFLINE_SOURCES, tempDir } from '../helpers/test-services.js';
import { faultTable } from './fault-table.js';

/**
 * Issue 16, coordinated replicas: three `serve` processes on one PostgreSQL database (as N replicas
 * behind a load balancer). Each feed is fetched once, a due digest is posted once, and when one replica
 * is killed with SIGKILL the others stay healthy; DATABASE_PATH is never touched. Its own database,
 * created and dropped here, on the machine's PostgreSQL (the suite's globalSetup starts it if down).
 */
const table = faultTable();
afterAll(() => table.print('Replicas on PostgreSQL'));
const ADMIN_URL = process.env.AI_NEWS_TEST_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    const started = Date.now();
    await c();
    if (Date.now() - started > 2000) console.log(`replicas: a cleanup took ${Date.now() - started} ms: ${c}`);
  }
}, 60_000);

async function admin(query: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

/** A fresh database for this test, dropped afterwards; its URL. */
async function freshDatabase(): Promise<string> {
  const name = `ai_news_replicas_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  cleanups.push(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function topLevelDigests(messages: FakeMessage[]): number {
  return messages.filter((m) => m.metadata?.event_type === 'ai_news_digest' && !m.thread_ts).length;
}

it('three `serve` replicas on one PostgreSQL database: feeds fetched once, one digest, survivors healthy after SIGKILL', async () => {
  const paths = ['/a', '/b', '/c', '/d', '/e'];
  const routes: Record<string, Route> = {};
  for (const [i, p] of paths.entries()) routes[p] = serve(labFeed(i, 20));
  const feeds = await startServer(routes);
  cleanups.push(() => feeds.close());
  const slack = await startFakeSlack();
  cleanups.push(() => slack.close());
  // The first post is rate limited for 2 s: the digest stays pending while the other replicas look for work.
  slack.fault('chat.postMessage', { kind: 'status', status: 429, headers: { 'retry-after': '2' } });
  const url = await freshDatabase();
  const t = tempDir();
  cleanups.push(() => t.cleanup());
  const databasePath = join(t.dir, 'never.sqlite');
  const env = { DATABASE_URL: url, DATABASE_PATH: databasePath, ...OFFLINE_SOURCES };

  // The operator's set-up: feeds and a channel whose digest was due five minutes ago.
  const s = await buildServices(loadConfig({ ...env, ALLOW_PRIVATE_FEED_URLS: 'true' }), {
    logger: silentLogger,
    clock: systemClock,
  });
  cleanups.push(() => s.close());
  for (const p of paths) await s.feeds.add({ url: feeds.url(p) }, systemClock.now());
  const at = new Date(Date.now() - 5 * 60_000).toISOString().slice(11, 16);
  await s.channels.subscribe('C1', { digestTime: at, timezone: 'UTC' }, 'test', systemClock.now());

  const replicas = [0, 1, 2].map(() =>
    startServeProcess({ ...env, FEEDS_FILE: join(t.dir, 'none.opml') }, slack.apiUrl, (kill) => cleanups.push(kill)),
  );
  const logs = await Promise.all(replicas.map((r) => r.caughtUp));
  const ports = await Promise.all(replicas.map((r) => r.port));
  const fetched = paths.map((p) => feeds.requests.filter((r) => r.path === p).length);
  const digests = topLevelDigests(slack.messages);
  const records = (await s.sql.get<{ n: number }>("SELECT count(*) AS n FROM digests WHERE status = 'posted'"))?.n;
  const failed = logs.some((l) => /catch-up failed|start-up poll failed|"level":"error"/.test(l));

  // One replica dies without a chance to clean up; the others keep serving.
  replicas[0]?.child.kill('SIGKILL');
  await replicas[0]?.out;
  const health = await Promise.all(
    ports.slice(1).map(async (port) => (await fetch(`http://127.0.0.1:${port}/healthz`)).status),
  );
  const pathTouched = existsSync(databasePath) || readdirSync(t.dir).some((f) => f.includes('sqlite'));

  const observed = `fetches ${fetched.join(',')}; digests ${digests} (records ${records}); after SIGKILL /healthz ${health.join(',')}; DATABASE_PATH ${pathTouched ? 'TOUCHED' : 'untouched'}${failed ? '; an error was logged' : ''}`;
  const pass =
    fetched.every((n) => n === 1) &&
    digests === 1 &&
    records === 1 &&
    health.every((h) => h === 200) &&
    !pathTouched &&
    !failed;
  table.add({
    fault: 'three `serve` replicas on one PostgreSQL database, one killed',
    expected: 'each feed fetched once; one digest; survivors healthy; no SQLite file',
    observed,
    pass,
  });
  expect(pass, `${observed}\n${logs.join('\n')}`).toBe(true);
}, 90_000);
