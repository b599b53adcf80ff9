import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { silentLogger } from '../../src/core/logger.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { type LocalServer, startServer } from '../helpers/feed-server.js';
import { tempDir } from '../helpers/test-services.js';

/** A model list in the shape of OpenRouter's GET /api/v1/models, written for this test. */
const model = (id: string, name: string, hf: string | null, created: number, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  created,
  description: `${name} is a model.`,
  context_length: 262144,
  pricing: { prompt: '0.0000004', completion: '0.0000012' },
  hugging_face_id: hf,
  ...extra,
});
const BASE = [
  model('qwen/qwen3-235b-a22b', 'Qwen: Qwen3 235B A22B', 'Qwen/Qwen3-235B-A22B', 1_745_000_000),
  model('openai/gpt-5', 'OpenAI: GPT-5', null, 1_754_000_000),
  model('mistralai/mistral-large-2512', 'Mistral: Mistral Large 3', 'mistralai/Mistral-Large-3', 1_764_000_000),
];
const LATER = [
  ...BASE,
  model('deepseek/deepseek-v4-pro', 'DeepSeek: DeepSeek V4 Pro', 'deepseek-ai/DeepSeek-V4-Pro', 1_777_000_000),
  model('anthropic/claude-sonnet-5', 'Anthropic: Claude Sonnet 5', null, 1_777_100_000, {
    pricing: { prompt: '0.000003', completion: '0.000015' },
  }),
  { name: 'broken entry without an id' },
];

let server: LocalServer;
let t: ReturnType<typeof tempDir>;
let list: unknown[] = BASE;
const clock = fakeClock('2026-04-25T08:00:00Z');

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const env = {
    DATABASE_PATH: join(t.dir, 'm.sqlite'),
    ALLOW_PRIVATE_FEED_URLS: 'true',
    // A model list an admin adds with `feeds add` (the built-in OpenRouter source is off here).
    OPENROUTER_MODELS_URL: 'off',
    OPENROUTER_RANKINGS_URL: 'off',
  };
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) }, env, {
    logger: silentLogger,
    clock,
  });
  return { code, out, err };
}

beforeEach(async () => {
  list = BASE;
  server = await startServer({
    '/api/v1/models': (_q, res) =>
      void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: list })),
    '/broken': (_q, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": [ {"id": '),
  });
  t = tempDir();
});
afterEach(async () => {
  await server.close();
  t.cleanup();
});

describe('model-release tracker', () => {
  it('records the catalogue on the first read without flooding stories, then reports new models as releases', async () => {
    const added = await cli('feeds', 'add', server.url('/api/v1/models'), 'OpenRouter', 'models');
    expect(added.out).toMatch(/Added #1 OpenRouter models: 3 entries found, 0 stored/);
    expect(JSON.parse((await cli('models', '7d', '--json')).out).releases).toEqual([]);
    expect(JSON.parse((await cli('stories', '--since', '7d', '--json')).out).stories).toEqual([]);

    list = LATER;
    clock.advance(3600_000);
    const poll = JSON.parse((await cli('poll', '--all', '--json')).out);
    expect(poll.feeds[0]).toMatchObject({ status: 'ok', newItems: 2 });
    expect(poll.newStories).toBe(2);

    const models = JSON.parse((await cli('models', '7d', '--json')).out);
    expect(models.releases.map((r: { modelId: string }) => r.modelId).sort()).toEqual([
      'anthropic/claude-sonnet-5',
      'deepseek/deepseek-v4-pro',
    ]);
    const ds = models.releases.find((r: { modelId: string }) => r.modelId === 'deepseek/deepseek-v4-pro');
    expect(ds).toMatchObject({
      labId: 'deepseek',
      lab: 'DeepSeek',
      origin: 'CN',
      openness: 'open-weight',
      contextLength: 262144,
      promptPrice: 0.4,
      completionPrice: 1.2,
      url: 'https://openrouter.ai/deepseek/deepseek-v4-pro',
    });
    const claude = models.releases.find((r: { modelId: string }) => r.modelId === 'anthropic/claude-sonnet-5');
    expect(claude).toMatchObject({
      labId: 'anthropic',
      origin: 'US',
      openness: 'closed',
      promptPrice: 3,
      completionPrice: 15,
    });
    expect(models.groups).toEqual([
      { origin: 'CN', openness: 'open-weight', count: 1, models: ['deepseek/deepseek-v4-pro'] },
      { origin: 'US', openness: 'closed', count: 1, models: ['anthropic/claude-sonnet-5'] },
    ]);

    const text = (await cli('models', '7d')).out;
    expect(text).toMatch(/2 model releases tracked in the last 7 days/);
    expect(text).toMatch(
      /China · open-weight \(1\)\n {2}• DeepSeek: DeepSeek V4 Pro — DeepSeek — 262k ctx — \$0\.40\/\$1\.20 per M tokens — https:\/\/openrouter\.ai\/deepseek\/deepseek-v4-pro/,
    );

    const stories = JSON.parse((await cli('stories', '--since', '7d', '--json')).out).stories;
    expect(stories.map((s: { title: string }) => s.title).sort()).toEqual([
      'New model: Anthropic: Claude Sonnet 5',
      'New model: DeepSeek: DeepSeek V4 Pro',
    ]);

    clock.advance(3600_000);
    expect(JSON.parse((await cli('poll', '--all', '--json')).out).newItems).toBe(0);
  });

  it('reports a malformed model list as a clear per-feed error', async () => {
    expect((await cli('feeds', 'add', server.url('/api/v1/models'))).code).toBe(0);
    const db = (await import('better-sqlite3')).default(join(t.dir, 'm.sqlite'));
    db.prepare('UPDATE feeds SET url = ? WHERE id = 1').run(server.url('/broken'));
    db.close();
    const poll = JSON.parse((await cli('poll', '--all', '--json')).out);
    expect(poll.feeds[0]).toMatchObject({
      status: 'error',
      code: 'feed_parse',
      error: expect.stringMatching(/not valid JSON/),
    });
  });
});
