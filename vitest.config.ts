import { defineConfig } from 'vitest/config';

/**
 * Two projects: the whole suite on SQLite, and on PostgreSQL every test whose store comes from
 * test/helpers/test-services.ts (AI_NEWS_TEST_ENGINE=postgres: one database per run, made and dropped by
 * the globalSetup, and one schema per store), including the fault rows whose processes share a store
 * (sharedStoreEnv, workers given a postgres:// URL), plus the store's engine and cross-connection tests.
 * Left to SQLite, because they are about SQLite files: test/store's migration and file tests (but
 * first-url-migration and search-columns-migration, which upgrade a store on either engine), and
 * test/faults/faults.test.ts (process faults watched through the SQLite file). test/faults/replicas.test.ts
 * runs in the SQLite project but makes its own PostgreSQL database. Pure tests (catalog, charts, config,
 * corpus, eval) open no store.
 * AI_NEWS_PG_TESTS=a,b overrides the list.
 */
const POSTGRES_TESTS = [
  'test/ask/*.test.ts',
  'test/ingest/*.test.ts',
  'test/stories/*.test.ts',
  'test/commands/*.test.ts',
  'test/digest/*.test.ts',
  'test/share/*.test.ts',
  'test/trends/*.test.ts',
  'test/ops/*.test.ts',
  'test/summarize/*.test.ts',
  'test/cli/*.test.ts',
  'test/tenancy/*.test.ts',
  'test/watch/*.test.ts',
  'test/slack/*.test.ts',
  'test/main.test.ts',
  'test/store/claim-repository.test.ts',
  'test/store/limits.test.ts',
  'test/store/watch-repository.test.ts',
  'test/store/sql-interleaving.test.ts',
  'test/store/prepared-statements.test.ts',
  'test/store/item-repository.test.ts',
  'test/store/first-url-migration.test.ts',
  'test/store/search-columns-migration.test.ts',
  // Fault rows: in-process ones, and those whose processes share a store through sharedStoreEnv or a
  // worker that takes a postgres:// URL (the rest start processes on a SQLite file).
  'test/faults/ask-limits.test.ts',
  'test/faults/poll-responsiveness.test.ts',
  'test/faults/data-edges.test.ts',
  'test/faults/slack-hardening.test.ts',
  'test/faults/watch-faults.test.ts',
  'test/faults/concurrency.test.ts',
  'test/mcp/*.test.ts',
];

const shared = { restoreMocks: true, testTimeout: 20_000, hookTimeout: 20_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'] } },
      {
        test: {
          ...shared,
          name: 'postgres',
          include: process.env.AI_NEWS_PG_TESTS?.split(',') ?? POSTGRES_TESTS,
          env: { AI_NEWS_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/helpers/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
