import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run-command.js';
import type { CommandContext } from '../../src/commands/types.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type Behaviour, completion, startFakeOpenAI, summarizeAll } from '../helpers/fake-openai.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';
import { faultTable } from './fault-table.js';

/** Issue 13 point 3: members cannot drain what the channel shares through questions. */
const table = faultTable();
afterAll(() => table.print('Question limits'));

let feeds: LocalServer;
let llm: Awaited<ReturnType<typeof startFakeOpenAI>>;
let t: Awaited<ReturnType<typeof testServices>>;

/** Answers questions with a grounded answer and summary requests with summaries. */
const both: Behaviour = (req, n) =>
  req.messages[0]?.content.includes('You answer questions')
    ? { json: completion(req, JSON.stringify({ answerable: true, answer: 'DeepSeek released DeepSeek-V4 [1].' })) }
    : summarizeAll(req, n);
const askCalls = () => llm.requests.filter((r) => r.messages[0]?.content.includes('You answer questions')).length;

async function boot(env: Record<string, string> = {}) {
  t = await testServices({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'test-model', ...env }, { model: { retryBaseMs: 5 } });
  await t.services.feeds.add({ url: feeds.url('/feed') }, t.clock.now());
  await runIngest(t.services);
}
const ctx = (user: string, surface: 'slack' | 'cli' = 'slack'): CommandContext => ({
  services: t.services,
  actor: { id: user, isAdmin: async () => surface === 'cli' },
  channelId: 'C1',
  surface,
});

beforeEach(async () => {
  feeds = await startServer({
    '/feed': serve(
      rss([
        {
          title: 'DeepSeek releases DeepSeek-V4 under MIT',
          guid: 'v4',
          link: 'https://n.example/v4',
          description: 'DeepSeek released V4 with open weights today.',
        },
      ]),
    ),
  });
  llm = await startFakeOpenAI(both);
});
afterEach(async () => {
  await t?.close();
  await llm.close();
  await feeds.close();
});

describe('ask limits', () => {
  it('refuses a question over 1,000 characters on every surface, before any model call', async () => {
    await boot();
    const before = llm.requests.length;
    const long = `what did DeepSeek release ${'and why '.repeat(130)}`;
    for (const surface of ['slack', 'cli'] as const) {
      const r = await runCommand(ctx('U1', surface), `ask ${long}`);
      expect(r.exitCode).toBe(1);
      expect(r.text).toMatch(/That question is 1,0\d\d characters long; questions are limited to 1,000/);
    }
    const calls = llm.requests.length - before;
    table.add({
      fault: '1,050-character `ask` (Slack and CLI)',
      expected: 'limit message on both; 0 model calls',
      observed: `${calls} model call(s)`,
      pass: calls === 0,
    });
    expect(calls).toBe(0);
    // Exactly at the limit is a question like any other.
    const atLimit = `what did DeepSeek release ${'x'.repeat(1000 - 26)}`;
    expect([...atLimit].length).toBe(1000);
    expect((await runCommand(ctx('U1'), `ask ${atLimit}`)).text).not.toMatch(/limited to/);
  });

  it('limits questions per Slack user per hour, with when to ask again; others and the CLI are not affected', async () => {
    await boot({ ASK_RATE_LIMIT_PER_HOUR: '2' });
    const q = 'ask what did DeepSeek release?';
    expect((await runCommand(ctx('U1'), q)).text).toMatch(/DeepSeek released DeepSeek-V4/);
    t.clock.advance(20 * 60_000);
    expect((await runCommand(ctx('U1'), q)).exitCode).toBeUndefined();
    t.clock.advance(10 * 60_000);
    const refused = await runCommand(ctx('U1'), q);
    expect(refused.exitCode).toBe(1);
    expect(refused.text).toMatch(
      /You have asked 2 questions in the last hour.*Ask again in 30 min; `search <words>` is not limited/,
    );
    const other = await runCommand(ctx('U2'), q);
    const cli = await runCommand(ctx('operator', 'cli'), q);
    const observed = `3rd question: exit ${refused.exitCode}; ${askCalls()} model calls; other user exit ${other.exitCode ?? 0}; CLI exit ${cli.exitCode ?? 0}`;
    table.add({
      fault: 'one member asks 3 times an hour (limit 2)',
      expected: '3rd refused with when; others and CLI answered',
      observed,
      pass: refused.exitCode === 1 && askCalls() === 4 && other.exitCode === undefined && cli.exitCode === undefined,
    });
    expect(askCalls()).toBe(4);
    expect(other.exitCode).toBeUndefined();
    expect(cli.exitCode).toBeUndefined();
    // The hour slides: the first question no longer counts.
    t.clock.advance(30 * 60_000);
    expect((await runCommand(ctx('U1'), q)).text).toMatch(/DeepSeek released DeepSeek-V4/);
  });

  it('gives questions their own share of the daily budget, so summaries still use the model after it is spent', async () => {
    await boot({ LLM_DAILY_TOKEN_BUDGET: '20000', LLM_ASK_BUDGET_PERCENT: '5' });
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) answers.push((await runCommand(ctx(`U${i}`), 'ask what did DeepSeek release?')).text);
    const calls = askCalls();
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(4);
    expect(answers.at(-1)).toMatch(
      /The model could not answer \(today's model budget for questions is used up until 00:00 UTC\); here are the matching stories/,
    );
    const today = new Date(Date.UTC(2026, 10, 20));
    expect(await t.services.usage.tokensSince(today, 'ask')).toBeLessThanOrEqual(1000);
    // A new story is still summarized by the model: questions did not spend the summaries' budget.
    feeds.route(
      '/feed2',
      serve(rss([{ title: 'Mistral AI ships Mistral Large 3', guid: 'ml3', description: 'Mistral shipped Large 3.' }])),
    );
    await t.services.feeds.add({ url: feeds.url('/feed2') }, t.clock.now());
    const report = await runIngest(t.services);
    const spent = await t.services.usage.tokensSince(today, 'ask');
    table.add({
      fault: 'questions exhaust their 5% share of the budget',
      expected: 'questions fall back to search; summaries keep the model',
      observed: `${calls} of 4 answered by the model; ask spent ${spent} tokens; next summary by ${report.summaries.model === 1 ? 'the model' : 'offline'}`,
      pass: calls < 4 && spent <= 1000 && report.summaries.model === 1,
    });
    expect(report.summaries.model).toBe(1);
  });
});
