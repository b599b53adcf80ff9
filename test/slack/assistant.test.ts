import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { type Behaviour, completion, startFakeOpenAI, summarizeAll } from '../helpers/fake-openai.js';
import { type FakeMessage, startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { eventBody, SIGNING_SECRET, signedPost } from '../helpers/signed-request.js';
import { rss, testServices } from '../helpers/test-services.js';

type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
let slack: FakeSlack;
let feeds: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;
let app: Awaited<ReturnType<typeof createSlackApp>> | undefined;
let base: string;
const cleanups: (() => Promise<void> | void)[] = [];

const DM = 'D0ASSIST';
const THREAD = '1763625600.000100';

beforeEach(async () => {
  slack = await startFakeSlack();
  feeds = await startServer({
    '/feed': serve(
      rss(
        [
          {
            title: 'DeepSeek releases DeepSeek-V4 under MIT',
            guid: 'a',
            link: 'https://n.example/deepseek-v4',
            description: 'DeepSeek released V4 with open weights under the MIT licence.',
          },
          {
            title: 'OpenAI ships GPT-5.5 to ChatGPT users',
            guid: 'b',
            link: 'https://n.example/gpt-5-5',
            description: 'OpenAI released GPT-5.5, a closed model, to ChatGPT users.',
          },
        ],
        'AI Wire',
      ),
    ),
  });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await app?.stop();
  app = undefined;
  await t?.close();
  await slack.close();
  await feeds.close();
});

async function boot(env: Record<string, string> = {}) {
  t = await testServices({ ALLOW_PRIVATE_FEED_URLS: 'true', ...env });
  await t.services.feeds.add({ url: feeds.url('/feed') }, t.clock.now());
  await runIngest(t.services);
  t.clock.advance(60_000);
  app = await createSlackApp(t.services, {
    token: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
  });
  base = `http://127.0.0.1:${await app.start(0)}/slack/events`;
}

const send = (event: Record<string, unknown>) => signedPost(base, eventBody(event), 'application/json');
const assistantThread = (context: Record<string, string>) => ({
  user_id: 'U1',
  context,
  channel_id: DM,
  thread_ts: THREAD,
});
const started = (context: Record<string, string> = { channel_id: 'C7', team_id: 'T1' }) =>
  send({ type: 'assistant_thread_started', assistant_thread: assistantThread(context), event_ts: '1763625600.000200' });
const contextChanged = (context: Record<string, string>) =>
  send({
    type: 'assistant_thread_context_changed',
    assistant_thread: assistantThread(context),
    event_ts: '1763625601.000200',
  });
let seq = 300;
const ask = (text: string, extra: Record<string, unknown> = {}) =>
  send({
    type: 'message',
    channel: DM,
    channel_type: 'im',
    user: 'U1',
    text,
    ts: `1763625700.000${seq++}`,
    thread_ts: THREAD,
    event_ts: `1763625700.000${seq}`,
    ...extra,
  });

async function until<T>(get: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
const pane = () => slack.assistantThreads.get(`${DM}:${THREAD}`);
const threadPosts = () => slack.messages.filter((m) => m.channel === DM && m.thread_ts === THREAD);
const statuses = () =>
  slack.calls.filter((c) => c.method === 'assistant.threads.setStatus').map((c) => String(c.body.status));

describe('Slack AI assistant pane (signed Events API callbacks)', () => {
  it('on thread start: a greeting, a title and suggested questions drawn from the archive', async () => {
    await boot();
    expect((await started()).status).toBe(200);
    const state = await until(() => (pane()?.prompts ? pane() : undefined));
    expect(state.title).toBe('AI model news');
    expect(state.prompts?.length).toBeGreaterThanOrEqual(3);
    const titles = state.prompts?.map((p) => p.title) ?? [];
    // The labs the archive covers this week, Chinese labs (DeepSeek is in it), open vs closed.
    expect(titles).toEqual(
      expect.arrayContaining(['DeepSeek this week', 'OpenAI this week', 'Open vs closed this month']),
    );
    expect(state.prompts?.find((p) => p.title === 'DeepSeek this week')?.message).toBe(
      'What did DeepSeek ship this week?',
    );
    expect((await until(() => threadPosts()[0])).text).toMatch(/Ask me about the AI model ecosystem/);
    expect(await t.services.assistantThreads.get(DM, THREAD)).toMatchObject({ channelId: 'C7', teamId: 'T1' });
  });

  it('answers a question with a status, then the labelled search results when no model is configured', async () => {
    await boot();
    await started();
    await until(() => pane()?.prompts);
    expect((await ask('What did DeepSeek release this week?')).status).toBe(200);
    const answer = await until(() => threadPosts().find((m) => /No model is configured/.test(m.text)));
    expect(statuses()).toEqual(['Searching the archive…']);
    expect(answer.text).toMatch(/\[1\] DeepSeek releases DeepSeek-V4 under MIT/);
    expect(answer.unfurl_links).toBe(false);
  });

  it('answers with numbered citations from a configured model, in the question’s language', async () => {
    const asked: string[] = [];
    const behaviour: Behaviour = (req, n) => {
      if (req.response_format?.json_schema?.name !== 'grounded_answer') return summarizeAll(req, n);
      const question = req.messages.find((m) => m.role === 'user')?.content ?? '';
      asked.push(question);
      const answer = /Qué/.test(question)
        ? 'DeepSeek publicó V4 con pesos abiertos bajo licencia MIT [1].'
        : 'DeepSeek released V4 with open weights under MIT [1].';
      return { json: completion(req, JSON.stringify({ answerable: true, answer })) };
    };
    const llm = await startFakeOpenAI(behaviour);
    cleanups.push(() => llm.close());
    await boot({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'test-model' });
    await started();
    await ask('What did DeepSeek release this week?');
    const english = await until(() => threadPosts().find((m) => /under MIT \[1\]/.test(m.text)));
    // The sources list under the answer: [1] is the story (headline written by the model) and its link.
    expect(english.text).toMatch(/\n\n\[1\] Headline \d+ — https:\/\/n\.example\/deepseek-v4$/);
    expect(JSON.stringify(english.blocks)).toContain('<https://n.example/deepseek-v4|[1]>');
    await ask('¿Qué lanzó DeepSeek esta semana?');
    const spanish = await until(() => threadPosts().find((m) => /pesos abiertos/.test(m.text)));
    expect(spanish.text).toMatch(/MIT \[1\]/);
    expect(statuses()).toEqual(['Searching the archive…', 'Buscando en el archivo…']);
    expect(asked).toHaveLength(2);
  });

  it('uses the channel the user is viewing as context, and follows it when it changes', async () => {
    await boot();
    await t.services.channels.update('C8', { topics: 'lab:deepseek' }, t.clock.now());
    await t.services.channels.update('C9', { topics: 'lab:openai' }, t.clock.now());
    await started({ channel_id: 'C8', team_id: 'T1' });
    await until(() => pane()?.prompts);
    await ask('What shipped this week?');
    const first = await until(() => threadPosts().find((m) => /\[1\]/.test(m.text)));
    expect(first.text).toMatch(/\[1\] DeepSeek releases/);
    await contextChanged({ channel_id: 'C9', team_id: 'T1' });
    await until(async () =>
      (await t.services.assistantThreads.get(DM, THREAD))?.channelId === 'C9' ? true : undefined,
    );
    await ask('What shipped this week?');
    const second = await until(() => threadPosts().filter((m) => /\[1\]/.test(m.text))[1]);
    expect(second.text).toMatch(/\[1\] OpenAI ships GPT-5\.5/);
  });

  it('never answers a bot’s message or an edit', async () => {
    await boot();
    await started();
    await until(() => pane()?.prompts);
    const before = threadPosts().length;
    await ask('What did DeepSeek release this week?', { bot_id: 'B2', user: 'U2' });
    await ask('What did DeepSeek release this week?', { subtype: 'bot_message', bot_id: 'B3' });
    await ask('What did DeepSeek release this week?', { subtype: 'message_changed' });
    // A real question afterwards is answered: the ignored ones were seen and dropped, not lost in a queue.
    await ask('What did OpenAI ship this week?');
    await until(() => threadPosts().find((m) => /OpenAI ships/.test(m.text)));
    expect(threadPosts().length).toBe(before + 1);
    expect(statuses()).toEqual(['Searching the archive…']);
  });
});

describe('Slack AI assistant pane in Socket Mode', () => {
  it('sets suggested questions for a thread started over the socket', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    const socketSlack = await startFakeSlack({ socketUrl: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/` });
    cleanups.push(() => socketSlack.close());
    t = await testServices({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    await t.services.feeds.add({ url: feeds.url('/feed') }, t.clock.now());
    await runIngest(t.services);
    t.clock.advance(60_000);
    const acked = new Promise<void>((resolve) => {
      wss.on('connection', (socket) => {
        socket.on('message', (data) => {
          if ((JSON.parse(String(data)) as { envelope_id?: string }).envelope_id === 'env-a') resolve();
        });
        socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
        socket.send(
          JSON.stringify({
            envelope_id: 'env-a',
            type: 'events_api',
            accepts_response_payload: false,
            payload: JSON.parse(
              eventBody({
                type: 'assistant_thread_started',
                assistant_thread: assistantThread({ channel_id: 'C7', team_id: 'T1' }),
                event_ts: '1763625600.000200',
              }),
            ),
          }),
        );
      });
    });
    const socketApp = await createSlackApp(t.services, {
      token: 'xoxb-socket',
      appToken: 'xapp-1-test',
      apiUrl: socketSlack.apiUrl,
      port: 0,
    });
    await socketApp.start(0);
    cleanups.push(() => socketApp.stop());
    await acked;
    const state = await until(() => socketSlack.assistantThreads.get(`${DM}:${THREAD}`)?.prompts);
    expect(state.length).toBeGreaterThanOrEqual(3);
    expect(state.map((p) => p.title)).toContain('Chinese labs this week');
    const greeting = await until(() =>
      socketSlack.messages.find((m: FakeMessage) => m.channel === DM && m.thread_ts === THREAD),
    );
    expect(greeting.text).toMatch(/Ask me/);
  }, 20_000);
});
