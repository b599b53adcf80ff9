import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuery } from '../src/ask/parse-query.js';
import { searchStories } from '../src/ask/search-stories.js';
import { buildServices } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import { buildArchive, loadQuestions, scoreRetrieval } from '../test/helpers/ask-quality.js';
import { fakeClock } from '../test/helpers/fake-clock.js';
import { startServer } from '../test/helpers/feed-server.js';
import { OFFLINE_SOURCES, sqliteOf } from '../test/helpers/test-services.js';
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

/** Search latency over 100,000 stories, and retrieval quality on the labelled question set. */
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

  // Latency on 100k stories written straight to the store.
  const s = await buildServices(loadConfig({ DATABASE_PATH: join(dir, 'search.sqlite') }), {
    logger: silentLogger,
    clock: fakeClock('2026-11-29T00:00:00Z'),
  });
  const r = rng(3);
  const now = Date.parse('2026-11-29T00:00:00Z');
  const n = 100_000;
  const insertStory = sqliteOf(s).prepare(
    'INSERT INTO stories (id, first_seen_at, updated_at, published_at, last_item_at, title, item_count, source_count, summary, summary_source) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)',
  );
  const insertFts = sqliteOf(s).prepare('INSERT INTO stories_fts (rowid, title, summary, sources) VALUES (?, ?, ?, ?)');
  const insertEntity = sqliteOf(s).prepare('INSERT OR IGNORE INTO entities (kind, key, name) VALUES (?, ?, ?)');
  const entityId = sqliteOf(s).prepare('SELECT id FROM entities WHERE kind = ? AND key = ?');
  const link = sqliteOf(s).prepare(
    'INSERT OR IGNORE INTO story_entities (story_id, entity_id, published_at) VALUES (?, ?, (SELECT published_at FROM stories WHERE id = ?))',
  );
  const ids = new Map<string, number>();
  const tag = (kind: string, key: string, name: string) => {
    const k = `${kind}:${key}`;
    let id = ids.get(k);
    if (id === undefined) {
      insertEntity.run(kind, key, name);
      id = (entityId.get(kind, key) as { id: number }).id;
      ids.set(k, id);
    }
    return id;
  };
  const t0 = performance.now();
  sqliteOf(s).transaction(() => {
    for (let i = 1; i <= n; i++) {
      const lab = LABS[Math.floor(r() * LABS.length)] as (typeof LABS)[number];
      const words = Array.from({ length: 6 }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
      const title = `${lab[1]} ${words.split(' ').slice(0, 3).join(' ')} update ${i % 97}`;
      const summary = `${lab[1]} announced ${words}. Analysts compared it with rivals on ${WORDS[i % WORDS.length]}.`;
      const at = new Date(now - Math.floor(r() * 180 * 86_400_000)).toISOString();
      insertStory.run(i, at, at, at, at, title, 1 + Math.floor(r() * 4), summary, 'offline');
      insertFts.run(i, title, summary, `${title} ${summary}`);
      link.run(i, tag('lab', lab[0], lab[1]), i);
      link.run(i, tag('origin', lab[2], lab[2]), i);
      link.run(i, tag('openness', lab[3], lab[3]), i);
    }
  })();
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
  for (const query of queries.slice(0, 10))
    await searchStories(s, parseQuery(query, s.matcher), { now: s.clock.now(), limit: 10 }); // warm
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const query of queries) {
      const start = performance.now();
      await searchStories(s, parseQuery(query, s.matcher), { now: s.clock.now(), limit: 10 });
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  await s.close();
  return {
    questions: quality.answerable + quality.unanswerable,
    recallAt5: quality.recallAt5,
    refusedShare: quality.refusedShare,
    stories: n,
    buildMs,
    searches: times.length,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
  };
}
