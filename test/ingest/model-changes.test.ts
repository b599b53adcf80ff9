import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { silentLogger } from '../../src/core/logger.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { listedModel, startFakeOpenRouter } from '../helpers/fake-openrouter.js';
import { tempDir } from '../helpers/test-services.js';

const FIRST = [
  listedModel('openai/gpt-5', 'OpenAI: GPT-5', { prompt: '0.00000125', completion: '0.00001' }),
  listedModel('qwen/qwen3-235b', 'Qwen: Qwen3 235B', { context: 131072 }),
  listedModel('google/gemini-2.0-flash', 'Google: Gemini 2.0 Flash'),
  listedModel('moonshotai/kimi-k2', 'MoonshotAI: Kimi K2'),
  listedModel('x-ai/grok-2', 'xAI: Grok 2'),
];
/** The second read: one change of each kind. */
const SECOND = [
  listedModel('openai/gpt-5', 'OpenAI: GPT-5', { prompt: '0.000001', completion: '0.00001' }), // price
  listedModel('qwen/qwen3-235b', 'Qwen: Qwen3 235B', { context: 262144 }), // context
  listedModel('google/gemini-2.0-flash', 'Google: Gemini 2.0 Flash', { expiration: '2027-02-01' }), // deprecation
  listedModel('moonshotai/kimi-k2', 'MoonshotAI: Kimi K2', { hf: 'moonshotai/Kimi-K2-Instruct' }), // openness
  listedModel('deepseek/deepseek-v4', 'DeepSeek: V4', { hf: 'deepseek-ai/DeepSeek-V4' }), // new
  // x-ai/grok-2 is gone: removed
];

let or: Awaited<ReturnType<typeof startFakeOpenRouter>>;
let t: ReturnType<typeof tempDir>;
const clock = fakeClock('2026-11-20T08:00:00Z');

async function cli(...argv: string[]) {
  let out = '';
  const env = {
    DATABASE_PATH: join(t.dir, 'c.sqlite'),
    ALLOW_PRIVATE_FEED_URLS: 'true',
    OPENROUTER_MODELS_URL: or.modelsUrl,
    OPENROUTER_RANKINGS_URL: 'off',
  };
  const code = await runCli(argv, { out: (s) => (out += s), err: () => {} }, env, { logger: silentLogger, clock });
  return { code, out };
}

beforeEach(async () => {
  clock.set('2026-11-20T08:00:00Z');
  or = await startFakeOpenRouter({ key: 'k' });
  t = tempDir();
});
afterEach(async () => {
  await or.close();
  t.cleanup();
});

describe('model-list changes', () => {
  it('stays silent on the first read, then records one change of each kind with its time', async () => {
    or.state.models = FIRST;
    const first = JSON.parse((await cli('poll', '--json')).out);
    expect(first.sources).toContainEqual(
      expect.objectContaining({ name: 'openrouter-models', status: 'ok', newItems: 0, changes: 0 }),
    );
    expect(JSON.parse((await cli('models', 'changes', '7d', '--json')).out)).toEqual({ changes: [] });
    expect((await cli('feeds')).out).toMatch(
      /Built-in sources: OpenRouter models: last ok .* · OpenRouter rankings: off/,
    );

    or.state.models = SECOND;
    clock.advance(3600_000);
    const second = JSON.parse((await cli('poll', '--json')).out);
    expect(second.sources[0]).toMatchObject({ name: 'openrouter-models', status: 'ok', newItems: 1, changes: 6 });

    const { changes } = JSON.parse((await cli('models', 'changes', '7d', '--json')).out);
    const at = '2026-11-20T09:00:00.000Z';
    const byKind = Object.fromEntries(changes.map((c: { kind: string }) => [c.kind, c]));
    expect(Object.keys(byKind).sort()).toEqual(['context', 'deprecation', 'new', 'openness', 'price', 'removed']);
    expect(changes).toHaveLength(6);
    expect(byKind).toEqual({
      new: { model: 'deepseek/deepseek-v4', kind: 'new', before: null, after: 'DeepSeek: V4', at },
      removed: { model: 'x-ai/grok-2', kind: 'removed', before: 'xAI: Grok 2', after: null, at },
      price: {
        model: 'openai/gpt-5',
        kind: 'price',
        before: { prompt: 1.25, completion: 10 },
        after: { prompt: 1, completion: 10 },
        at,
      },
      context: { model: 'qwen/qwen3-235b', kind: 'context', before: 131072, after: 262144, at },
      deprecation: { model: 'google/gemini-2.0-flash', kind: 'deprecation', before: null, after: '2027-02-01', at },
      openness: {
        model: 'moonshotai/kimi-k2',
        kind: 'openness',
        before: null,
        after: 'moonshotai/Kimi-K2-Instruct',
        at,
      },
    });

    const text = (await cli('models', 'changes')).out;
    expect(text).toMatch(/openai\/gpt-5: price \$1\.25\/\$10\.00 → \$1\.00\/\$10\.00 per million tokens/);
    expect(text).toMatch(/moonshotai\/kimi-k2: open weights listed on Hugging Face \(moonshotai\/Kimi-K2-Instruct\)/);

    // The same list again: nothing new. And the window excludes what is older than it.
    clock.advance(3600_000);
    expect(JSON.parse((await cli('poll', '--json')).out).sources[0]).toMatchObject({ changes: 0 });
    clock.advance(8 * 86_400_000);
    expect(JSON.parse((await cli('models', 'changes', '7d', '--json')).out).changes).toEqual([]);
    expect(JSON.parse((await cli('models', 'changes', '30d', '--json')).out).changes).toHaveLength(6);
  });

  it('refuses a list that lost most of its models instead of recording mass removals', async () => {
    or.state.models = Array.from({ length: 20 }, (_, i) => listedModel(`openai/m-${i}`, `M ${i}`));
    await cli('poll');
    or.state.models = or.state.models.slice(0, 3);
    clock.advance(3600_000);
    const poll = JSON.parse((await cli('poll', '--json')).out);
    expect(poll.sources[0]).toMatchObject({ status: 'error', error: expect.stringMatching(/shrank from 20 to 3/) });
    expect(JSON.parse((await cli('models', 'changes', '--json')).out).changes).toEqual([]);
  });

  it('takes a changed URL as a new baseline on the next poll', async () => {
    or.state.models = FIRST;
    await cli('poll');
    or.state.models = SECOND;
    clock.advance(60_000); // not due yet by the interval, but the URL changed
    let out = '';
    await runCli(
      ['poll', '--json'],
      { out: (s) => (out += s), err: () => {} },
      {
        DATABASE_PATH: join(t.dir, 'c.sqlite'),
        ALLOW_PRIVATE_FEED_URLS: 'true',
        OPENROUTER_MODELS_URL: `${or.modelsUrl}?mirror=1`,
        OPENROUTER_RANKINGS_URL: 'off',
      },
      { logger: silentLogger, clock },
    );
    expect(JSON.parse(out).sources[0]).toMatchObject({ status: 'ok', url: `${or.modelsUrl}?mirror=1`, changes: 0 });
    expect(JSON.parse((await cli('models', 'changes', '--json')).out).changes).toEqual([]);
  });
});
