import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeDigest } from '../../src/digest/compose-digest.js';
import { renderMarkdown } from '../../src/digest/render-markdown.js';
import { renderText } from '../../src/digest/render-text.js';
import { runDueDigests } from '../../src/digest/send-digest.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { buildHomeView } from '../../src/slack/home-view.js';
import { createSlackSink, createWebClient } from '../../src/slack/slack-sink.js';
import { listedModel, startFakeOpenRouter } from '../helpers/fake-openrouter.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { pngSize } from '../helpers/png.js';
import { testServices } from '../helpers/test-services.js';

const KEY = 'sk-or-digest';
let or: Awaited<ReturnType<typeof startFakeOpenRouter>>;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let t: Awaited<ReturnType<typeof testServices>>;

const days = (from: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
  );

beforeEach(async () => {
  or = await startFakeOpenRouter({ key: KEY, asOf: '2026-11-29T05:00:00Z' });
  t = await testServices({
    OPENROUTER_MODELS_URL: or.modelsUrl,
    OPENROUTER_RANKINGS_URL: or.rankingsUrl,
    OPENROUTER_API_KEY: KEY,
  });
  slack = await startFakeSlack({ now: () => t.clock.now() });
  // Previous week: DeepSeek (CN, open) 200 of 400 open tokens; this week 600 of 800.
  or.state.rankings = [
    ...days('2026-11-15', 7).flatMap((date) => [
      { date, model_permaslug: 'deepseek/deepseek-v4', total_tokens: '200' },
      { date, model_permaslug: 'openai/gpt-oss-120b', total_tokens: '200' },
      { date, model_permaslug: 'openai/gpt-5', total_tokens: '600' },
    ]),
    ...days('2026-11-22', 7).flatMap((date) => [
      { date, model_permaslug: 'deepseek/deepseek-v4', total_tokens: '600' },
      { date, model_permaslug: 'openai/gpt-oss-120b', total_tokens: '200' },
      { date, model_permaslug: 'openai/gpt-5', total_tokens: '200' },
    ]),
  ];
  or.state.models = [
    listedModel('deepseek/deepseek-v4', 'DeepSeek: V4', { hf: 'deepseek-ai/DeepSeek-V4' }),
    listedModel('openai/gpt-oss-120b', 'OpenAI: gpt-oss-120b', { hf: 'openai/gpt-oss-120b' }),
    listedModel('openai/gpt-5', 'OpenAI: GPT-5', { prompt: '0.00000125', completion: '0.00001' }),
    listedModel('moonshotai/kimi-k2', 'MoonshotAI: Kimi K2'),
    listedModel('google/gemini-2.0-flash', 'Google: Gemini 2.0 Flash'),
    listedModel('x-ai/grok-2', 'xAI: Grok 2'),
  ];
  t.clock.set('2026-11-29T05:00:00Z');
  await runIngest(t.services);
  or.state.models = [
    listedModel('deepseek/deepseek-v4', 'DeepSeek: V4', { hf: 'deepseek-ai/DeepSeek-V4' }),
    listedModel('openai/gpt-oss-120b', 'OpenAI: gpt-oss-120b', { hf: 'openai/gpt-oss-120b' }),
    listedModel('openai/gpt-5', 'OpenAI: GPT-5', { prompt: '0.000001', completion: '0.00001' }),
    listedModel('moonshotai/kimi-k2', 'MoonshotAI: Kimi K2', { hf: 'moonshotai/Kimi-K2-Instruct' }),
    listedModel('google/gemini-2.0-flash', 'Google: Gemini 2.0 Flash', { expiration: '2027-02-01' }),
    listedModel('qwen/qwen3.6-plus', 'Qwen: Qwen3.6 Plus'),
  ];
  t.clock.set('2026-11-29T06:00:00Z');
  await runIngest(t.services);
  await t.services.channels.subscribe('C1', { digestTime: '08:00', timezone: 'UTC' }, 'test', t.clock.now());
  await t.services.channels.update('C1', { weeklyChart: true }, t.clock.now());
  t.clock.set('2026-11-29T08:00:00Z');
});
afterEach(async () => {
  await t.close();
  await slack.close();
  await or.close();
});

const sink = () => createSlackSink(createWebClient('xoxb-test-token', slack.apiUrl));
const run = () => runDueDigests(t.services, sink(), { sleep: async () => {}, paceMs: 0 });

describe('the digest and the ecosystem signals', () => {
  it('lists model changes most significant first, adds the week’s China-open share, and posts the weekly chart in the thread', async () => {
    const [r] = await run();
    expect(r?.result.status).toBe('posted');
    const post = slack.posts()[0];
    const text = JSON.stringify(post?.blocks);
    const section = /\*Model changes\*\\n(.*?)"/.exec(text)?.[1]?.split('\\n') ?? [];
    expect(section).toEqual([
      '• moonshotai/kimi-k2: open weights listed on Hugging Face (moonshotai/Kimi-K2-Instruct)',
      '• google/gemini-2.0-flash: deprecation date set: 2027-02-01',
      '• x-ai/grok-2: removed from the list (was xAI: Grok 2)',
      '• openai/gpt-5: price $1.25/$10.00 → $1.00/$10.00 per million tokens (input/output)',
    ]);
    // The new listing is under New models, not repeated as a change.
    expect(text).toContain('Qwen: Qwen3.6 Plus');
    expect(text).not.toContain('qwen/qwen3.6-plus: listed');
    expect(text).toContain(
      'China 75.0% of open-model tokens on OpenRouter ▲ 25.0 pts (7 days; open models 80.0% of all). Source: OpenRouter (openrouter.ai/rankings), as of 2026-11-29T05:00:00Z. Licensed under CC BY 4.0.',
    );

    // The App Home shows the same line.
    expect(JSON.stringify(await buildHomeView(t.services, false))).toContain(
      'China 75.0% of open-model tokens on OpenRouter',
    );

    const [file] = slack.files();
    expect(file).toMatchObject({ channel: 'C1', threadTs: post?.ts, filename: 'share-7d.png' });
    expect(pngSize(file?.bytes as Buffer).width).toBe(800);
    expect(file?.altText).toContain('Chinese share of open-model tokens: China 75.0% (previous 7 days: 50.0%)');

    // The next day's digest has no chart: one a week.
    t.clock.set('2026-11-30T08:00:00Z');
    await run();
    expect(slack.posts()).toHaveLength(2);
    expect(slack.files()).toHaveLength(1);
    t.clock.set('2026-12-06T08:00:00Z');
    await run();
    expect(slack.files()).toHaveLength(2);
  });

  it('renders the same sections as text and Markdown, capped with a pointer to the rest', async () => {
    const d = await composeDigest(t.services, { from: new Date('2026-11-28T08:00:00Z'), to: t.clock.now() });
    expect(d.modelChanges?.map((c) => c.kind)).toEqual(['openness', 'deprecation', 'removed', 'price']);
    const text = renderText(d);
    expect(text).toMatch(/MODEL CHANGES\n• moonshotai\/kimi-k2: open weights listed/);
    expect(text).toMatch(/China 75\.0% of open-model tokens/);
    expect(renderMarkdown(d)).toMatch(/## Model changes\n\n- moonshotai\/kimi-k2: open weights listed/);
    const capped = renderText({ ...d, modelChanges: d.modelChanges?.slice(0, 2), moreChanges: 2 });
    expect(capped).toMatch(/2 more: \/ai-news models changes/);
  });

  it('`settings chart weekly|off` turns the weekly chart on and off', async () => {
    const { runCommand } = await import('../../src/commands/run-command.js');
    const ctx = {
      services: t.services,
      actor: { id: 'U1', isAdmin: async () => true },
      channelId: 'C2',
      surface: 'cli' as const,
    };
    expect((await runCommand(ctx, 'settings chart weekly')).text).toMatch(/Weekly chart in the digest thread: on/);
    expect((await t.services.channels.get('C2'))?.weeklyChart).toBe(true);
    expect((await runCommand(ctx, 'settings chart off')).text).toMatch(/Weekly chart in the digest thread: off/);
    expect((await runCommand(ctx, 'settings chart sometimes')).exitCode).toBe(1);
  });
});
