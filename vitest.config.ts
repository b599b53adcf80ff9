import { defineConfig } from 'vitest/config';

/**
 * Two projects: the whole suite on SQLite, and on PostgreSQL the use-case tests below, whose stores come
 * from test/helpers/test-services.ts (AI_NEWS_TEST_ENGINE=postgres: one database per run, made and dropped
 * by the globalSetup, and one schema per store). Not yet on PostgreSQL: test/slack (assistant pane, App
 * Home modals), test/ingest/process-new-items.test.ts (a 1,500-item poll outlasts its timeout there),
 * test/watch/watch.test.ts (one serve test), test/faults and test/mcp (they spawn processes on a SQLite
 * file), test/store (its tests open SQLite files directly; sql-interleaving alone runs on both engines).
 * AI_NEWS_PG_TESTS=a,b overrides the list.
 */
const POSTGRES_TESTS = [
  'test/ask/*.test.ts',
  'test/ingest/feed-alerts.test.ts',
  'test/ingest/model-changes.test.ts',
  'test/ingest/poll-feeds.test.ts',
  'test/ingest/tag-stories.test.ts',
  'test/ingest/track-models.test.ts',
  'test/stories/*.test.ts',
  'test/commands/*.test.ts',
  'test/digest/delivery.test.ts',
  'test/digest/schedule.test.ts',
  'test/share/*.test.ts',
  'test/trends/*.test.ts',
  'test/ops/prune-archive.test.ts',
  'test/summarize/*.test.ts',
  'test/cli/*.test.ts',
  'test/store/sql-interleaving.test.ts',
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
