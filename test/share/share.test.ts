import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { silentLogger } from '../../src/core/logger.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { type FakeRankingRow, listedModel, startFakeOpenRouter } from '../helpers/fake-openrouter.js';
import { tempDir } from '../helpers/test-services.js';

const KEY = 'sk-or-test-key';
const MODELS = [
  listedModel('deepseek/deepseek-v4', 'DeepSeek: V4', {
    slug: 'deepseek/deepseek-v4-20261001',
    hf: 'deepseek-ai/DeepSeek-V4',
  }),
  listedModel('qwen/qwen3-max', 'Qwen: Qwen3 Max', { slug: 'qwen/qwen3-max-20260923' }),
  listedModel('openai/gpt-5', 'OpenAI: GPT-5', { slug: 'openai/gpt-5-2025-08-07' }),
  listedModel('openai/gpt-oss-120b', 'OpenAI: gpt-oss-120b', { hf: 'openai/gpt-oss-120b' }),
  listedModel('mistralai/mistral-large-2512', 'Mistral: Large 3', { hf: 'mistralai/Mistral-Large-3' }),
];

/**
 * One day of rankings, 1000 tokens in all. CN: deepseek (open, by the list) + qwen (closed: no HF id) +
 * stepfun (not in the list: open by the catalog); US: gpt-5 (closed) + gpt-oss (open); EU: mistral (open);
 * other origin: ai21 (Israel, open by the catalog); unattributed: an unknown lab and the `other` row.
 */
function day(date: string, o: { deepseek?: number; gpt5?: number } = {}): FakeRankingRow[] {
  const rows: [string, number][] = [
    ['openai/gpt-5-2025-08-07', o.gpt5 ?? 400],
    ['deepseek/deepseek-v4-20261001', o.deepseek ?? 300],
    ['qwen/qwen3-max-20260923', 100],
    ['openai/gpt-oss-120b', 50],
    ['mistralai/mistral-large-2512', 50],
    ['stepfun-ai/step-3-20260101', 40],
    ['mysterylab/model-x', 20],
    ['ai21/jamba-large-1.7', 10],
    ['other', 30],
  ];
  return rows.map(([slug, n]) => ({ date, model_permaslug: slug, total_tokens: String(n) }));
}
const dates = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

let or: Awaited<ReturnType<typeof startFakeOpenRouter>>;
let t: ReturnType<typeof tempDir>;
const clock = fakeClock('2026-11-19T08:00:00Z');

async function cli(env: Record<string, string>, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { out: (s) => (out += s), err: (s) => (err += s) },
    {
      DATABASE_PATH: join(t.dir, 's.sqlite'),
      ALLOW_PRIVATE_FEED_URLS: 'true',
      OPENROUTER_MODELS_URL: or.modelsUrl,
      OPENROUTER_RANKINGS_URL: or.rankingsUrl,
      ...env,
    },
    { logger: silentLogger, clock },
  );
  return { code, out, err };
}
const withKey = (...argv: string[]) => cli({ OPENROUTER_API_KEY: KEY }, ...argv);

beforeEach(async () => {
  clock.set('2026-11-19T08:00:00Z');
  or = await startFakeOpenRouter({ key: KEY, asOf: '2026-11-19T06:00:00Z' });
  or.state.models = MODELS;
  t = tempDir();
});
afterEach(async () => {
  await or.close();
  t.cleanup();
});

describe('usage share from OpenRouter rankings', () => {
  it('backfills 60 days, fetches once a UTC day, replaces a restated day and computes shares of all tokens', async () => {
    // Day one: everything up to 2026-11-18, which is still preliminary (2000 more GPT-5 tokens).
    or.state.rankings = [
      ...dates('2026-09-01', '2026-11-12').flatMap((d) => day(d, { deepseek: 200, gpt5: 500 })),
      ...dates('2026-11-13', '2026-11-17').flatMap((d) => day(d)),
      ...day('2026-11-18', { gpt5: 2400 }),
    ];
    const first = await withKey('poll', '--json');
    expect(first.code).toBe(0);
    const rankings = or.requestsTo('/api/v1/datasets/rankings-daily');
    expect(rankings).toHaveLength(1);
    expect(rankings[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(Object.fromEntries(rankings[0]?.query ?? [])).toEqual({ start_date: '2026-09-20', end_date: '2026-11-18' });
    expect(JSON.parse(first.out).sources).toContainEqual(
      expect.objectContaining({ name: 'openrouter-rankings', status: 'ok' }),
    );

    // A second poll the same UTC day does not fetch the rankings again (the model list is read as usual).
    clock.advance(3 * 3600_000);
    await withKey('poll', '--all');
    expect(or.requestsTo('/api/v1/datasets/rankings-daily')).toHaveLength(1);
    expect(or.requestsTo('/api/v1/models').length).toBeGreaterThanOrEqual(2);

    // Next day: 11-18 is restated (back to 1000 tokens) and 11-19 arrives; the fetch re-reads the last week.
    clock.set('2026-11-20T08:00:00Z');
    or.state.asOf = '2026-11-20T06:00:00Z';
    or.state.rankings = [
      ...dates('2026-09-01', '2026-11-12').flatMap((d) => day(d, { deepseek: 200, gpt5: 500 })),
      ...dates('2026-11-13', '2026-11-19').flatMap((d) => day(d)),
    ];
    await withKey('poll');
    const second = or.requestsTo('/api/v1/datasets/rankings-daily');
    expect(second).toHaveLength(2);
    expect(Object.fromEntries(second[1]?.query ?? [])).toEqual({ start_date: '2026-11-12', end_date: '2026-11-19' });

    const share = JSON.parse((await withKey('share', '7d', '--json')).out);
    const source = 'Source: OpenRouter (openrouter.ai/rankings), as of 2026-11-20T06:00:00Z. Licensed under CC BY 4.0.';
    expect(Object.keys(share)).toEqual([
      'asOf',
      'from',
      'to',
      'totalTokens',
      'byOrigin',
      'byOpenness',
      'chinaShareOfOpen',
      'previous',
      'source',
    ]);
    expect(share).toEqual({
      asOf: '2026-11-20T06:00:00Z',
      from: '2026-11-13',
      to: '2026-11-19',
      totalTokens: 7000, // the restated 11-18 counts 1000, not 3000
      byOrigin: { US: 0.45, CN: 0.44, EU: 0.05, other: 0.01, unattributed: 0.05 },
      byOpenness: { open: 0.45, closed: 0.5, unattributed: 0.05 },
      chinaShareOfOpen: 0.755556, // (300 + 40) / 450
      previous: {
        asOf: '2026-11-20T06:00:00Z',
        from: '2026-11-06',
        to: '2026-11-12',
        totalTokens: 7000,
        byOrigin: { US: 0.55, CN: 0.34, EU: 0.05, other: 0.01, unattributed: 0.05 },
        byOpenness: { open: 0.35, closed: 0.6, unattributed: 0.05 },
        chinaShareOfOpen: 0.685714, // (200 + 40) / 350
      },
      source,
    });

    const text = (await withKey('share', '7d')).out;
    expect(text).toMatch(/China +44\.0% +▲ 10\.0 pts/);
    expect(text).toMatch(/Chinese share of open-model tokens: 75\.6% +▲ 7\.0 pts/);
    expect(text).toMatch(/top 50 models of each day plus one "other" row/);
    expect(text).toContain(source);

    // 30 days: the previous 30 days come from the backfill.
    const month = JSON.parse((await withKey('share', '30d', '--json')).out);
    expect(month.from).toBe('2026-10-21');
    expect(month.previous).toMatchObject({ from: '2026-09-21', to: '2026-10-20', totalTokens: 30_000 });
  });

  it('without an API key, polls do not ask for the rankings and `share` says how to get a key', async () => {
    or.state.rankings = day('2026-11-18');
    const poll = await cli({}, 'poll', '--json');
    expect(or.requestsTo('/api/v1/datasets/rankings-daily')).toHaveLength(0);
    expect(JSON.parse(poll.out).sources).toContainEqual(
      expect.objectContaining({ name: 'openrouter-rankings', status: 'skipped' }),
    );
    const share = await cli({}, 'share');
    expect(share.code).toBe(1);
    expect(share.err).toMatch(/OPENROUTER_API_KEY/);
    expect(share.err).toMatch(/https:\/\/openrouter\.ai\/settings\/keys/);
  });

  it('reports a refused key on the poll and keeps nothing; `off` disables a source', async () => {
    or.state.rankings = day('2026-11-18');
    const poll = JSON.parse((await cli({ OPENROUTER_API_KEY: 'wrong' }, 'poll', '--json')).out);
    expect(poll.sources).toContainEqual(
      expect.objectContaining({
        name: 'openrouter-rankings',
        status: 'error',
        error: expect.stringMatching(/refused the API key \(HTTP 401\)/),
      }),
    );
    expect((await cli({ OPENROUTER_API_KEY: 'wrong' }, 'share')).err).toMatch(/last attempt failed/);

    const off = await cli(
      { OPENROUTER_API_KEY: KEY, OPENROUTER_RANKINGS_URL: 'off', OPENROUTER_MODELS_URL: 'OFF' },
      'poll',
      '--json',
    );
    expect(JSON.parse(off.out).sources).toEqual([]);
    expect(or.requestsTo('/api/v1/datasets/rankings-daily')).toHaveLength(1); // only the refused one
  });
});
