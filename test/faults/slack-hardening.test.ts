import { type ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { buildServices } from '../../src/compose.js';
import { silentLogger } from '../../src/core/logger.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { type ChatRequest, completion, startFakeOpenAI } from '../helpers/fake-openai.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { commandBody, SIGNING_SECRET, signedPost } from '../helpers/signed-request.js';
import { rss, sharedStoreEnv, TEST_ENGINE, tempDir, testConfig, testServices } from '../helpers/test-services.js';
import { faultTable } from './fault-table.js';

/**
 * Slack-facing hardening (issue 13, points 3, 6, 7, 8): a token Slack refuses, transient auth.test
 * failures, malformed signed bodies, retried events, a flood of `digest now`, an over-long mention,
 * Slack-escaped command text. Real `serve` processes where start-up matters, the fake Slack Web API,
 * the fake OpenAI-compatible server; the table lists case, expected and observed.
 */
const table = faultTable();
afterAll(() => table.print('Slack hardening'));
const ROOT = join(import.meta.dirname, '../..');

type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

/** A real `ai-news serve` (or `npm start`) process: its output so far, its port once serving, its exit. */
function spawnServe(env: Record<string, string>, entry = 'src/cli/index.ts serve') {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...entry.split(' ')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  const exit = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? 128 : null))));
  const port = new Promise<number>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /"msg":"ai-news: serving","port":(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    void exit.then((code) => reject(new Error(`serve exited (${code}) before serving: ${stderr}`)));
  });
  port.catch(() => undefined);
  return { child, exit, port, stderr: () => stderr, stdout: () => stdout };
}

async function until<T>(get: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

// These start `serve` on a SQLite file whatever the test engine: they run once, in the SQLite project.
describe.skipIf(TEST_ENGINE === 'postgres')('serve start-up against Slack', () => {
  const cases: [string, string, string][] = [
    ['token_revoked', 'src/cli/index.ts serve', 'ai-news serve'],
    ['invalid_auth', 'src/main.ts', 'npm start'],
    ['account_inactive', 'src/cli/index.ts serve', 'ai-news serve'],
  ];
  it.each(cases)(
    'auth.test says %s (%s): one line naming SLACK_BOT_TOKEN, exit 78',
    async (error, entry, how) => {
      const slack = await startFakeSlack();
      const t = tempDir();
      try {
        slack.fault('auth.test', { kind: 'error', error });
        const p = spawnServe(
          {
            DATABASE_PATH: join(t.dir, 'serve.sqlite'),
            SLACK_BOT_TOKEN: 'xoxb-revoked',
            SLACK_SIGNING_SECRET: SIGNING_SECRET,
            SLACK_API_URL: slack.apiUrl,
            PORT: '0',
            FEEDS_FILE: join(t.dir, 'none.opml'),
          },
          entry,
        );
        const code = await p.exit;
        const lines = p.stderr().trim().split('\n');
        const observed = `exit ${code}; stderr: ${p.stderr().trim()}`;
        const pass =
          code === 78 &&
          lines.length === 1 &&
          new RegExp(`SLACK_BOT_TOKEN was refused by Slack \\(${error}\\)`).test(lines[0] ?? '') &&
          !/\n\s+at /.test(p.stderr()) &&
          !/serving/.test(p.stderr());
        table.add({
          fault: `${how}: auth.test ${error}`,
          expected: 'one line naming SLACK_BOT_TOKEN; exit 78',
          observed,
          pass,
        });
        expect(pass, observed).toBe(true);
      } finally {
        await slack.close();
        t.cleanup();
      }
    },
    30_000,
  );

  it('a bot token without a signing secret or app token: serve says which setting is missing, exit 1', async () => {
    const t = tempDir();
    try {
      const p = spawnServe({ DATABASE_PATH: join(t.dir, 'x.sqlite'), SLACK_BOT_TOKEN: 'xoxb-only', PORT: '0' });
      const code = await p.exit;
      const observed = `exit ${code}; ${p
        .stderr()
        .trim()
        .replace(/\s*\n\s*/g, ' / ')}`;
      const pass =
        code === 1 &&
        /SLACK_SIGNING_SECRET: required to serve Slack over HTTP/.test(p.stderr()) &&
        !/\n\s+at /.test(p.stderr());
      table.add({
        fault: 'serve with SLACK_BOT_TOKEN only',
        expected: 'names SLACK_SIGNING_SECRET; exit 1',
        observed,
        pass,
      });
      expect(pass, observed).toBe(true);
    } finally {
      t.cleanup();
    }
  }, 30_000);

  it('an unhandled promise rejection is logged and the process goes on', async () => {
    const script = [
      "import { logUnhandledRejections } from './src/main.ts';",
      "import { createLogger } from './src/core/logger.ts';",
      "logUnhandledRejections(createLogger('info'));",
      "Promise.reject(new Error('stray failure'));",
      "setTimeout(() => process.stdout.write('still running\\n'), 50);",
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    const observed = `exit ${code}; ${out.trim()}; ${err.trim()}`;
    const pass = code === 0 && out.includes('still running') && /unhandled promise rejection.*stray failure/.test(err);
    table.add({
      fault: 'unhandled promise rejection',
      expected: 'logged as an error; process continues',
      observed,
      pass,
    });
    expect(pass, observed).toBe(true);
  }, 30_000);
});

describe('two serve processes on one database (HTTP mode)', () => {
  let slack: FakeSlack;
  let model: Awaited<ReturnType<typeof startFakeOpenAI>>;
  let feeds: LocalServer;
  let t: ReturnType<typeof tempDir>;
  let a: ReturnType<typeof spawnServe>;
  let b: ReturnType<typeof spawnServe>;
  let urlA: string;
  let urlB: string;
  let store: Record<string, string>;
  const env = () => ({
    ...store,
    SLACK_BOT_TOKEN: 'xoxb-shared',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    FEEDS_FILE: join(t.dir, 'none.opml'),
    OPENROUTER_MODELS_URL: feeds.url('/models'),
    ALLOW_PRIVATE_FEED_URLS: 'true',
    ADMIN_USER_IDS: 'UADMIN',
    LLM_BASE_URL: model.baseUrl,
    LLM_MODEL: 'test-model',
    LLM_API_KEY: 'sk-test-key',
  });
  const askCalls = () =>
    model.requests.filter((r: ChatRequest) => r.messages[0]?.content.includes('You answer questions'));
  const responses = () =>
    slack.calls.filter((c) => c.method === 'response.hook').map((c) => String((c.body as { text?: string }).text));
  const command = (url: string, text: string, user: string, channel = 'C7') =>
    signedPost(
      url,
      commandBody(text, { user, channel, responseUrl: `${slack.apiUrl}response.hook` }),
      'application/x-www-form-urlencoded',
    );

  beforeAll(async () => {
    slack = await startFakeSlack();
    model = await startFakeOpenAI((req) => ({
      json: completion(
        req,
        JSON.stringify({ answerable: true, answer: 'DeepSeek released DeepSeek-V4 with open weights [1].' }),
      ),
    }));
    feeds = await startServer({
      '/feed': serve(
        rss(
          [
            {
              title: 'DeepSeek releases DeepSeek-V4 under MIT',
              guid: 'v4',
              link: 'https://n.example/v4',
              description: 'DeepSeek released V4 with open weights today.',
            },
          ],
          'AI Wire',
        ),
      ),
      '/models': serve(JSON.stringify({ data: [] }), 'application/json'),
    });
    t = tempDir();
    store = sharedStoreEnv(t.dir);
    // The archive both processes share: one feed, one story, summarized offline before they start.
    const prep = await buildServices(testConfig(t.dir, store), {
      logger: silentLogger,
    });
    await prep.feeds.add({ url: feeds.url('/feed') }, prep.clock.now());
    await runIngest(prep, { all: true });
    await prep.close();
    // Slack has an incident while the first process starts: auth.test fails twice, then answers.
    slack.fault('auth.test', { kind: 'error', error: 'internal_error' }, { kind: 'status', status: 500 });
    a = spawnServe(env());
    urlA = `http://127.0.0.1:${await a.port}/slack/events`;
    b = spawnServe(env());
    urlB = `http://127.0.0.1:${await b.port}/slack/events`;
  }, 60_000);
  afterAll(async () => {
    a?.child.kill('SIGKILL');
    b?.child.kill('SIGKILL');
    await slack?.close();
    await model?.close();
    await feeds?.close();
    t?.cleanup();
  });

  it('auth.test fails with internal_error, then HTTP 500: serve waits it out and serves', async () => {
    const health = await fetch(urlA.replace('/slack/events', '/healthz'));
    const checks = slack.calls.filter((c) => c.method === 'auth.test').length;
    const retries = (a.stderr().match(/could not check SLACK_BOT_TOKEN yet; retrying/g) ?? []).length;
    const observed = `healthz ${health.status}; auth.test calls ${checks} for 2 processes; ${retries} retries logged`;
    // Three calls for the first process (two failures, one success), one for the second; Bolt makes none.
    const pass = health.status === 200 && checks === 4 && retries === 2;
    table.add({
      fault: 'auth.test internal_error, then 500, at start',
      expected: 'retried with backoff; serves',
      observed,
      pass,
    });
    expect(pass, observed).toBe(true);
  });

  it.each([
    ['payload=null', 'payload=null', 'application/x-www-form-urlencoded', true, 400],
    ['payload=[]', 'payload=%5B%5D', 'application/x-www-form-urlencoded', true, 400],
    ['payload is not JSON', 'payload=%7Bnope', 'application/x-www-form-urlencoded', true, 400],
    ['JSON body null', 'null', 'application/json', true, 400],
    ['unsigned payload=null', 'payload=null', 'application/x-www-form-urlencoded', false, 401],
  ] as const)('a request with %s', async (name, body, type, signed, status) => {
    const r = await signedPost(urlA, body, type, signed ? {} : { secret: 'not-the-secret' });
    const health = await fetch(urlA.replace('/slack/events', '/healthz'));
    const observed = `HTTP ${r.status}; afterwards healthz ${health.status}, process ${a.child.exitCode === null ? 'alive' : 'dead'}`;
    const pass = r.status === status && health.status === 200 && a.child.exitCode === null;
    table.add({
      fault: `${signed ? 'signed' : 'unsigned'} request, ${name}`,
      expected: `HTTP ${status}; server stays up`,
      observed,
      pass,
    });
    expect(pass, observed).toBe(true);
  });

  it('one mention delivered three times (two X-Slack-Retry-Num retries, to either process): one answer, one model call', async () => {
    const before = askCalls().length;
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'EvRETRIED1',
      event_time: 1,
      event: {
        type: 'app_mention',
        user: 'U1',
        channel: 'C1',
        ts: '1700000000.000200',
        text: '<@UBOT> what did DeepSeek release?',
      },
    });
    const first = await signedPost(urlA, body, 'application/json');
    const retry1 = await signedPost(urlB, body, 'application/json', {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    const retry2 = await signedPost(urlA, body, 'application/json', {
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' },
    });
    const thread = () => slack.messages.filter((m) => m.thread_ts === '1700000000.000200');
    await until(() => thread().length > 0);
    // A second answer, if any, would come from the same quick path as the first.
    await until(() => /skipped a repeated delivery/.test(a.stderr()) && /skipped a repeated delivery/.test(b.stderr()));
    const answers = thread().length;
    const calls = askCalls().length - before;
    const observed = `acks ${first.status}/${retry1.status}/${retry2.status}; ${answers} answer(s), ${calls} model call(s)`;
    const pass = [first, retry1, retry2].every((r) => r.status === 200) && answers === 1 && calls === 1;
    table.add({ fault: 'event delivered 3 times (retries)', expected: '1 answer, 1 model call', observed, pass });
    expect(pass, observed).toBe(true);
  });

  it('a 40,000-character mention: refused in the thread with the limit, no model call', async () => {
    const before = askCalls().length;
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'EvLONG1',
      event_time: 1,
      event: {
        type: 'app_mention',
        user: 'U2',
        channel: 'C1',
        ts: '1700000000.000300',
        text: `<@UBOT> ${'what did DeepSeek release this week '.repeat(1143).slice(0, 40_000)}`,
      },
    });
    await signedPost(urlB, body, 'application/json');
    const reply = await until(() => slack.messages.find((m) => m.thread_ts === '1700000000.000300'));
    const calls = askCalls().length - before;
    const observed = `"${reply.text.slice(0, 90)}"; ${calls} model call(s)`;
    const pass = /questions are limited to 1,000/.test(reply.text) && calls === 0;
    table.add({ fault: '40,000-character @mention', expected: 'clear limit message; 0 model calls', observed, pass });
    expect(pass, observed).toBe(true);
  });

  it('five members ask for `digest now` at once, across both processes: one digest; an admin is not limited', async () => {
    const users = ['UM1', 'UM2', 'UM3', 'UM4', 'UM5'];
    const acks = await Promise.all(users.map((u, i) => command(i % 2 ? urlB : urlA, 'digest now', u)));
    await until(
      () => responses().filter((r) => /Digest posted to C7|Members can ask for another/.test(r)).length === 5,
    );
    const digests = () =>
      new Set(
        slack
          .posts()
          .filter((m) => m.channel === 'C7')
          .map((m) => m.metadata?.event_payload.digest_id),
      );
    const posted = responses().filter((r) => /Digest posted to C7/.test(r)).length;
    const refused = responses().filter((r) =>
      /already asked for here less than 10 minutes ago\. Members can ask for another in 10 min/.test(r),
    );
    const memberDigests = digests().size;
    await command(urlB, 'digest now', 'UADMIN');
    await until(() => responses().filter((r) => /Digest posted to C7/.test(r)).length === 2);
    const observed = `acks ${acks.map((r) => r.status).join('/')}; members: ${memberDigests} digest, ${refused.length} refused; then admin: ${digests().size} digests`;
    const pass =
      acks.every((r) => r.status === 200) &&
      posted === 1 &&
      memberDigests === 1 &&
      refused.length === 4 &&
      digests().size === 2;
    table.add({
      fault: '5 concurrent member `digest now` (2 processes)',
      expected: '1 digest, 4 told when; admin still posts',
      observed,
      pass,
    });
    expect(pass, observed).toBe(true);
  });

  it('Slack-escaped command text: `feeds add …&amp;…` stores `&`; `feeds import <https://…>` reads the URL', async () => {
    feeds.route(
      '/feed2',
      serve(rss([{ title: 'Qwen ships Qwen3.5', guid: 'q', link: 'https://n.example/q' }], 'Qwen blog')),
    );
    feeds.route(
      '/list.opml',
      serve(
        `<opml version="2.0"><body><outline text="Labs" xmlUrl="${feeds.url('/feed3')}"/></body></opml>`,
        'text/x-opml',
      ),
    );
    const next = async (url: string, text: string) => {
      const n = responses().length;
      await command(url, text, 'UADMIN');
      return until(() => responses()[n]);
    };
    const added = await next(urlA, `feeds add ${feeds.url('/feed2')}?a=1&amp;b=2`);
    const imported = await next(urlB, `feeds import <${feeds.url('/list.opml')}>`);
    const check = await buildServices(testConfig(t.dir, store), {
      logger: silentLogger,
    });
    const urls = (await check.feeds.list()).map((f) => f.url);
    await check.close();
    const fetched = feeds.requests.some((r) => r.path === '/feed2?a=1&b=2');
    const observed = `fetched /feed2?a=1&b=2: ${fetched}; stored ${urls.filter((u) => /feed2|feed3/.test(u)).join(', ')}; import: "${imported}"`;
    const pass =
      fetched &&
      /^Added #\d+ Qwen blog/.test(added) &&
      urls.includes(`${feeds.url('/feed2')}?a=1&b=2`) &&
      urls.includes(feeds.url('/feed3')) &&
      /^Imported 1 feeds/.test(imported);
    table.add({
      fault: 'slash command text HTML-escaped by Slack',
      expected: 'URL with & stored; <URL> imported as a URL',
      observed,
      pass,
    });
    expect(pass, observed).toBe(true);
  });
});

describe('Socket Mode', () => {
  it('an events_api envelope redelivered with the same event_id is answered once; the mention is decoded', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const slack = await startFakeSlack({ socketUrl: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/` });
    const logs: string[] = [];
    const note = (msg: string) => void logs.push(msg);
    const t = await testServices({}, { logger: { debug: note, info: note, warn: note, error: note } });
    const acks: string[] = [];
    const connected = new Promise<WebSocket>((resolve) =>
      wss.on('connection', (socket) => {
        socket.on('message', (data) =>
          acks.push(String((JSON.parse(String(data)) as { envelope_id?: string }).envelope_id)),
        );
        socket.send(
          JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: {} }),
        );
        resolve(socket);
      }),
    );
    const app = await createSlackApp(t.services, {
      token: 'xoxb-socket',
      appToken: 'xapp-1-test',
      apiUrl: slack.apiUrl,
      port: 0,
    });
    try {
      await app.start(0);
      const socket = await connected;
      const envelope = (id: string, attempt: number) =>
        JSON.stringify({
          envelope_id: id,
          type: 'events_api',
          accepts_response_payload: false,
          retry_attempt: attempt,
          retry_reason: attempt ? 'timeout' : '',
          payload: {
            team_id: 'T1',
            api_app_id: 'A1',
            type: 'event_callback',
            event_id: 'EvSOCKET1',
            event_time: 1,
            event: {
              type: 'app_mention',
              user: 'U1',
              channel: 'C1',
              ts: '1700000000.000400',
              text: `<@UBOT> ${'x'.repeat(1001)} &amp;`,
            },
          },
        });
      socket.send(envelope('env-1', 0));
      socket.send(envelope('env-2', 1));
      await until(() => acks.includes('env-1') && acks.includes('env-2'));
      const reply = await until(() => slack.messages.find((m) => m.thread_ts === '1700000000.000400'));
      await until(() => logs.some((m) => /skipped a repeated delivery/.test(m)));
      const answers = slack.messages.filter((m) => m.thread_ts === '1700000000.000400').length;
      // 1,001 x's, a space and the decoded "&": 1,003 characters, over the limit.
      const observed = `${answers} answer(s): "${reply.text.slice(0, 80)}"`;
      const pass = answers === 1 && /1,003 characters long; questions are limited to 1,000/.test(reply.text);
      table.add({ fault: 'Socket Mode event redelivered', expected: '1 answer; text decoded once', observed, pass });
      expect(pass, observed).toBe(true);
    } finally {
      await app.stop();
      await t.close();
      await slack.close();
      await new Promise<void>((r) => wss.close(() => r()));
    }
  }, 20_000);
});
