import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServices, type Overrides, type Services } from '../../src/compose.js';
import { type Config, loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqlEngine } from '../../src/store/sql.js';
import { SqliteSql } from '../../src/store/sqlite-sql.js';
import { fakeClock } from './fake-clock.js';

/** A fresh temp directory removed by the returned function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ai-news-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The built-in OpenRouter sources off: tests never reach the internet; tests of the sources pass loopback URLs. */
export const OFFLINE_SOURCES = { OPENROUTER_MODELS_URL: 'off', OPENROUTER_RANKINGS_URL: 'off' } as const;

/** The engine the test stores use: AI_NEWS_TEST_ENGINE=postgres (the PostgreSQL project), else SQLite. */
export const TEST_ENGINE: 'sqlite' | 'postgres' =
  process.env.AI_NEWS_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * A fresh PostgreSQL schema in the run's test database (globalSetup made it), as a DATABASE_URL whose
 * search path starts there: each test store is empty and independent, and creating one is fast.
 */
export function testPostgresUrl(): string {
  const base = process.env.AI_NEWS_TEST_PG_URL;
  if (!base) throw new Error('test: AI_NEWS_TEST_PG_URL is unset (run through the postgres vitest project)');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  // Synchronously (testConfig is synchronous): a URL alone cannot create its schema.
  execFileSync('psql', [base, '-qXc', `CREATE SCHEMA ${schema}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  return url.toString();
}

/**
 * One store that a test's processes share, as environment (for a child process, and for testConfig):
 * a SQLite file `name` in `dir`, or on the PostgreSQL project a fresh schema (the file is then never used).
 */
export function sharedStoreEnv(dir: string, name = 'shared.sqlite'): Record<string, string> {
  const file = { DATABASE_PATH: join(dir, name) };
  return TEST_ENGINE === 'postgres' ? { DATABASE_URL: testPostgresUrl(), ...file } : file;
}

/**
 * Config for the store a worker process was given (`database`: a SQLite file, or a postgres:// URL), to
 * open it again from the test.
 */
export function storeConfig(database: string): Config {
  const store: Record<string, string> = database.startsWith('postgres')
    ? { DATABASE_URL: database }
    : { DATABASE_PATH: database };
  return testConfig(tmpdir(), store);
}

/**
 * Config for tests: the test store (a temp SQLite file, or a fresh PostgreSQL schema), private URLs
 * allowed (loopback servers), short timeouts, no built-in sources.
 */
export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    ...(TEST_ENGINE === 'postgres' ? { DATABASE_URL: testPostgresUrl() } : {}),
    DATABASE_PATH: join(dir, 'test.sqlite'),
    ALLOW_PRIVATE_FEED_URLS: 'true',
    FEED_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'error',
    ...OFFLINE_SOURCES,
    ...env,
  });
}

/** Real services over a real SQLite file, with a fake clock and a silent logger. */
export async function testServices(env: Record<string, string> = {}, overrides: Overrides = {}) {
  const { dir, cleanup } = tempDir();
  const clock = fakeClock();
  const config = testConfig(dir, env);
  const services: Services = await buildServices(config, { clock, logger: silentLogger, ...overrides });
  return {
    services,
    clock,
    config,
    dir,
    async close() {
      await services.close();
      cleanup();
    },
  };
}

/** An RSS 2.0 document with the given items. */
export function rss(
  items: { title: string; link?: string; guid?: string; date?: string; description?: string }[],
  title = 'Test feed',
): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = items
    .map(
      (i) =>
        `<item><title>${esc(i.title)}</title>${i.link ? `<link>${esc(i.link)}</link>` : ''}${i.guid ? `<guid>${esc(i.guid)}</guid>` : ''}${
          i.date ? `<pubDate>${i.date}</pubDate>` : ''
        }${i.description ? `<description>${esc(i.description)}</description>` : ''}</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.com/</link>${body}</channel></rss>`;
}

/** The better-sqlite3 handle under SQLite services: for tests about SQLite itself (pragmas, raw rows). */
export function sqliteOf(s: Services): SqliteSql['db'] {
  if (!(s.sql instanceof SqliteSql)) throw new Error('test: this test needs the SQLite engine');
  return s.sql.db;
}

const wrappers = new WeakMap<SqliteSql['db'], SqliteSql>();
/** The engine over a database a test opened itself; one per handle, so writes share one lock. */
export function sqlOf(db: SqliteSql['db']): SqliteSql {
  let w = wrappers.get(db);
  if (!w) {
    w = new SqliteSql(db);
    wrappers.set(db, w);
  }
  return w;
}

/**
 * Two connections to one fresh test database (two processes' views): two SQLite connections to one
 * file, or two PostgreSQL pools on one schema. `close` ends both.
 */
export async function twoConnections(
  dir: string,
  name = 'shared.sqlite',
): Promise<{ a: SqlEngine; b: SqlEngine; close(): Promise<void> }> {
  const config = testConfig(dir, { DATABASE_PATH: join(dir, name) });
  const a = await openStore(config);
  const b = await openStore(config);
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
    },
  };
}

/** A feed of `n` recent items whose words differ per feed number, so each feed makes its own stories. */
export function labFeed(feed: number, n: number): string {
  return rss(
    Array.from({ length: n }, (_, i) => ({
      title: `Lab${feed} ships model ${feed}.${i} with report ${i}`,
      guid: `f${feed}-${i}`,
      link: `https://n${feed}.example/${i}`,
      date: new Date(Date.now() - (n - i) * 60_000).toUTCString(),
      description: `Lab${feed} released model ${feed}.${i}; benchmarks ${i} and ${feed}.`,
    })),
    `Feed ${feed}`,
  );
}
