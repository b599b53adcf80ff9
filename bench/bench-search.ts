import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuery } from '../src/ask/parse-query.js';
import { searchStories } from '../src/ask/search-stories.js';
import { buildServices } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import type { SqlValue } from '../src/store/sql.js';
import { buildArchive, loadQuestions, scoreRetrieval } from '../test/helpers/ask-quality.js';
import { fakeClock } from '../test/helpers/fake-clock.js';
import { startServer } from '../test/helpers/feed-server.js';
import { OFFLINE_SOURCES } from '../test/helpers/test-services.js';
import { pgDatabaseIfAny } from './bench-engines.js';
import { rng } from './fixtures.js';

const LABS = [
  ['deepseek', 'DeepSeek', 'CN', 'open-source'],
  ['alibaba', 'Alibaba (Qwen)', 'CN', 'mixed'],
  ['moonshot', 'Moonshot AI', 'CN', 'open-weight'],
  ['zhipu', 'Zhipu AI (Z.ai)', 'CN', 'open-source'],
  ['openai', 'OpenAI', 'US', 'closed'],
  ['google', 'Google DeepMind', 'US', 'mixed'],
  ['anthropic', 'Anthropic', 'US', 'closed'],
  ['meta', 'Meta', 'US', 'mixed'],
  ['mistral', 'Mistral AI', 'EU', 'mixed'],
  ['nvidia', 'NVIDIA', 'US', 'open-weight'],
] as const;
const WORDS =
  'release model open weights benchmark reasoning coding agent context pricing licence training data inference chips funding policy regulation europe china safety evaluation multimodal video speech robotics'.split(
    ' ',
  );

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Search latency over 100,000 stories (SQLite, and PostgreSQL when there is one), and retrieval quality on the labelled question set. */
export async function benchSearch(dir: string): Promise<Record<string, number>> {
  // Quality on the fixture archive, through the real pipeline.
  const server = await startServer();
  const clock = fakeClock();
  mkdirSync(join(dir, 'q'), { recursive: true });
  const q = await buildServices(
    loadConfig({
      DATABASE_PATH: join(dir, 'q', 'quality.sqlite'),
      ALLOW_PRIVATE_FEED_URLS: 'true',
      ...OFFLINE_SOURCES,
    }),
    { logger: silentLogger, clock },
  );
  const events = await buildArchive({ services: q, clock }, server);
  const quality = await scoreRetrieval(q, loadQuestions(), events);
  await q.close();
  await server.close();

  const sqlite = await latencyAt100k({ DATABASE_PATH: join(dir, 'search.sqlite') });
  // The same archive on PostgreSQL, when this machine has one (see bench engines for the small archive).
  let pg: Awaited<ReturnType<typeof latencyAt100k>> | null = null;
  const db = pgDatabaseIfAny();
  if (db)
    try {
      pg = await latencyAt100k({ DATABASE_URL: db.url });
    } finally {
      db.drop();
    }
  return {
    questions: quality.answerable + quality.unanswerable,
    recallAt5: quality.recallAt5,
    refusedShare: quality.refusedShare,
    stories: 100_000,
    buildMs: sqlite.buildMs,
    searches: sqlite.searches,
    p50Ms: sqlite.p50Ms,
    p95Ms: sqlite.p95Ms,
    ...(pg ? { pgP50Ms: pg.p50Ms, pgP95Ms: pg.p95Ms, pgP95Ratio: pg.p95Ms / sqlite.p95Ms } : {}),
  };
}

/**
 * Search latency over 100,000 stories written straight to the store (three tags each, a search entry),
 * through the store port so both engines get the same archive: p50 and p95 of three rounds of the
 * labelled questions and a few word-only queries, after one warm-up round.
 */
async function latencyAt100k(env: Record<string, string>) {
  const s = await buildServices(loadConfig({ ...env, ...OFFLINE_SOURCES }), {
    logger: silentLogger,
    clock: fakeClock('2026-11-29T00:00:00Z'),
  });
  try {
    const r = rng(3);
    const now = Date.parse('2026-11-29T00:00:00Z');
    const n = 100_000;
    const ids = new Map<string, number>();
    for (const [key, name, origin, openness] of LABS)
      for (const [kind, k, label] of [
        ['lab', key, name],
        ['origin', origin, origin],
        ['openness', openness, openness],
      ] as const) {
        if (ids.has(`${kind}:${k}`)) continue;
        await s.sql.run('INSERT INTO entities (kind, key, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
          kind,
          k,
          label,
        ]);
        const row = await s.sql.get<{ id: number }>('SELECT id FROM entities WHERE kind = ? AND key = ?', [kind, k]);
        ids.set(`${kind}:${k}`, row?.id as number);
      }
    const rows = (count: number, width: number) =>
      Array.from({ length: count }, () => `(${Array.from({ length: width }, () => '?').join(', ')})`).join(', ');
    const t0 = performance.now();
    for (let first = 1; first <= n; first += 500) {
      const stories: SqlValue[] = [];
      const fts: SqlValue[] = [];
      const tags: SqlValue[] = [];
      for (let i = first; i < first + 500; i++) {
        const lab = LABS[Math.floor(r() * LABS.length)] as (typeof LABS)[number];
        const words = Array.from({ length: 6 }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
        const title = `${lab[1]} ${words.split(' ').slice(0, 3).join(' ')} update ${i % 97}`;
        const summary = `${lab[1]} announced ${words}. Analysts compared it with rivals on ${WORDS[i % WORDS.length]}.`;
        const at = new Date(now - Math.floor(r() * 180 * 86_400_000)).toISOString();
        // Origin and openness tags are on the story row too, as tagging writes them (0020).
        const filterTags = JSON.stringify([
          ['openness', lab[3]],
          ['origin', lab[2]],
        ]);
        stories.push(i, at, at, at, at, title, 1, 1 + Math.floor(r() * 4), summary, 'offline', filterTags);
        fts.push(i, title, summary, `${title} ${summary}`);
        for (const k of [`lab:${lab[0]}`, `origin:${lab[2]}`, `openness:${lab[3]}`])
          tags.push(i, ids.get(k) as number, at);
      }
      await s.sql.write(async (tx) => {
        await tx.run(
          `INSERT INTO stories (id, first_seen_at, updated_at, published_at, last_item_at, title, item_count, source_count,
             summary, summary_source, filter_tags) VALUES ${rows(500, 11)}`,
          stories,
        );
        await tx.run(`INSERT INTO stories_fts (rowid, title, summary, sources) VALUES ${rows(500, 4)}`, fts);
        await tx.run(`INSERT INTO story_entities (story_id, entity_id, published_at) VALUES ${rows(1500, 3)}`, tags);
      });
    }
    // As a running archive would have: PostgreSQL plans from statistics its autovacuum keeps.
    if (s.sql.engine === 'postgres') await s.sql.run('ANALYZE');
    const buildMs = performance.now() - t0;
    const queries = [
      ...loadQuestions().map((x) => x.question),
      'deepseek',
      'qwen open weights',
      'open models from China this week',
      'reasoning benchmark',
      'funding chips',
      'mistral europe policy',
      'anthropic safety evaluation',
      'video speech multimodal',
    ];
    for (const query of queries)
      await searchStories(s, parseQuery(query, s.matcher), { now: s.clock.now(), limit: 10 });
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const query of queries) {
        const start = performance.now();
        await searchStories(s, parseQuery(query, s.matcher), { now: s.clock.now(), limit: 10 });
        times.push(performance.now() - start);
      }
    }
    times.sort((a, b) => a - b);
    return { buildMs, searches: times.length, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) };
  } finally {
    await s.close();
  }
}
