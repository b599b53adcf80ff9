import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { buildServices } from '../../src/compose.js';
import { silentLogger } from '../../src/core/logger.js';
import { deliverDigest } from '../../src/digest/deliver-digest.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackSink, createWebClient } from '../../src/slack/slack-sink.js';
import type { DigestRecord } from '../../src/store/digest-repository.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { type Behaviour, completion, startFakeOpenAI, storyIds } from '../helpers/fake-openai.js';
import { type Fault, startFakeSlack } from '../helpers/fake-slack.js';
import { type Route, serve, startServer } from '../helpers/feed-server.js';
import { rss, sqliteOf, tempDir, testConfig, testServices } from '../helpers/test-services.js';
import { faultTable } from './fault-table.js';

/**
 * The fault-injection suite (`npm run test:faults`; `npm test` runs it too). Every case checks that
 * the process survives, nothing is lost or stored twice, no digest is lost or doubled, and the operator
 * sees a clear error; the table printed at the end lists case, expected and observed.
 */
const table = faultTable();
afterAll(() => table.print('Fault-injection suite'));
const ROOT = join(import.meta.dirname, '../..');

const GOOD = rss([
  {
    title: 'DeepSeek releases DeepSeek-V4 under MIT',
    guid: 'g1',
    link: 'https://n.example/1',
    description: 'DeepSeek released V4 with open weights today.',
  },
  {
    title: 'Mistral AI ships Mistral Large 3',
    guid: 'g2',
    link: 'https://n.example/2',
    description: 'Mistral published Large 3 under Apache 2.0.',
  },
]);

// Compressed once: compressing 64 MB on every request made the test's own server miss the 800 ms timeout
// on a busy machine, and the case then reported the server's slowness instead of the guard.
const BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024));

describe('feed faults', () => {
  const cases: [string, Route | 'reset', string, RegExp][] = [
    ['timeout (server never answers)', () => {}, 'feed_timeout', /did not answer within/],
    ['connection reset', 'reset', 'feed_connect', /connection to .* failed/],
    ['HTTP 500', (_q, res) => void res.writeHead(500).end(), 'feed_http_status', /HTTP 500/],
    [
      '429 with Retry-After',
      (_q, res) => void res.writeHead(429, { 'retry-after': '3600' }).end(),
      'feed_rate_limited',
      /retrying after 3600 s/,
    ],
    ['truncated body', serve(GOOD.slice(0, 200)), 'feed_parse', /not a readable/],
    [
      'endless body',
      (_q, res) => {
        res.writeHead(200);
        const chunk = Buffer.alloc(65536, 'a');
        const pump = () => {
          while (res.write(chunk)) {}
        };
        res.on('drain', pump);
        pump();
      },
      'feed_too_large',
      /larger than/,
    ],
    [
      'wrong content type (HTML page)',
      serve('<!DOCTYPE html><html><body>Home</body></html>', 'text/html'),
      'feed_parse',
      /HTML page/,
    ],
    [
      'gzip bomb',
      (_q, res) => void res.writeHead(200, { 'content-encoding': 'gzip' }).end(BOMB),
      'feed_too_large',
      /larger than/,
    ],
    [
      'redirect loop',
      (_q, res) => void res.writeHead(302, { location: '/bad' }).end(),
      'feed_too_many_redirects',
      /more than 5 redirects/,
    ],
    [
      'redirect to a private (metadata) address',
      (_q, res) => void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      'url_forbidden',
      /metadata/,
    ],
  ];
  it.each(cases)('%s', async (name, route, code, message) => {
    const server = await startServer({
      '/good': serve(GOOD),
      '/bad': route === 'reset' ? (req) => void req.socket.destroy() : route,
    });
    const t = await testServices({ FEED_TIMEOUT_MS: '800', FEED_MAX_BYTES: String(2 * 1024 * 1024) });
    try {
      await t.services.feeds.add({ url: server.url('/good') }, t.clock.now());
      const bad = (await t.services.feeds.add({ url: server.url('/bad') }, t.clock.now())).feed;
      const first = await runIngest(t.services, { all: true });
      const again = await runIngest(t.services, { all: true });
      const r = first.feeds.find((f) => f.id === bad.id);
      const observed = `${r?.code}: ${r?.error}`;
      const pass =
        r?.code === code &&
        message.test(r?.error ?? '') &&
        first.newItems === 2 &&
        again.newItems === 0 &&
        (await t.services.items.count()) === 2 &&
        (await t.services.feeds.get(bad.id))?.lastErrorCode === code;
      table.add({ fault: `feed: ${name}`, expected: `${code}; other feeds stored; no duplicates`, observed, pass });
      expect(pass, observed).toBe(true);
    } finally {
      await t.close();
      await server.close();
    }
  });
});

describe('model faults', () => {
  const mention: Behaviour = (req) => ({
    json: completion(
      req,
      JSON.stringify({
        summaries: storyIds(req).map((id) => ({
          id,
          headline: '<!channel>',
          summary: `<!here> <@U1> summary ${id} of the release <https://evil.example|docs>.`,
        })),
      }),
    ),
  });
  const cases: [string, Behaviour, 'fallback' | 'model', RegExp][] = [
    ['timeout', () => 'hang', 'fallback', /the model timed out/],
    ['429', () => ({ status: 429, headers: { 'retry-after': '0' }, json: {} }), 'fallback', /rate-limited \(429\)/],
    ['500', () => ({ status: 500, json: {} }), 'fallback', /server failed \(500\)/],
    ['malformed JSON', (req) => ({ json: completion(req, '{"summaries": [ }') }), 'fallback', /invalid output/],
    ['refusal', (req) => ({ json: completion(req, '', { refusal: 'no' }) }), 'fallback', /refused/],
    ['reply with mentions and foreign links', mention, 'model', /^$/],
  ];
  it.each(cases)('%s', async (name, behaviour, source, reason) => {
    const server = await startServer({ '/good': serve(GOOD) });
    const llm = await startFakeOpenAI(behaviour);
    const t = await testServices(
      { LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'm' },
      { model: { timeoutMs: 300, retryBaseMs: 5 } },
    );
    try {
      await t.services.feeds.add({ url: server.url('/good') }, t.clock.now());
      const r = await runIngest(t.services);
      const stories = await t.services.stories.listSince(new Date(0));
      const clean = stories.every((s) => !/<!|<@|evil/.test(`${s.title} ${s.summary}`));
      const ok =
        stories.length === 2 &&
        stories.every(
          (s) => s.summarySource === source && (s.summary?.length ?? 0) > 20 && reason.test(s.summaryReason ?? ''),
        ) &&
        clean;
      table.add({
        fault: `model: ${name}`,
        expected:
          source === 'model' ? 'summary kept, control sequences stripped' : 'readable offline summary, reason recorded',
        observed: `${r.summaries.fallback} fallback, ${r.summaries.model} model; ${stories[0]?.summaryReason ?? 'clean'}`,
        pass: ok,
      });
      expect(ok).toBe(true);
    } finally {
      await t.close();
      await llm.close();
      await server.close();
    }
  });
});

describe('Slack faults', () => {
  const cases: [string, Fault, 'posted' | 'failed', RegExp][] = [
    ['429 with Retry-After', { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, 'posted', /^$/],
    ['500', { kind: 'status', status: 500 }, 'posted', /^$/],
    ['invalid_auth', { kind: 'error', error: 'invalid_auth' }, 'failed', /SLACK_BOT_TOKEN/],
    ['channel_not_found', { kind: 'error', error: 'channel_not_found' }, 'failed', /does not exist/],
    ['not_in_channel', { kind: 'error', error: 'not_in_channel' }, 'failed', /invite it/],
    ['is_archived', { kind: 'error', error: 'is_archived' }, 'failed', /archived/],
  ];
  it.each(cases)('%s', async (name, fault, status, message) => {
    const t = await testServices();
    const slack = await startFakeSlack({ now: () => t.clock.now() });
    try {
      slack.fault('chat.postMessage', fault);
      const record = (await t.services.digests.claim(
        {
          channelId: 'C1',
          windowKey: 'k',
          from: new Date(0),
          to: t.clock.now(),
          storyIds: [],
          tokens: 0,
          messages: [{ text: 'digest', blocks: [] }],
        },
        t.clock.now(),
      )) as DigestRecord;
      const r = await deliverDigest(t.services, createSlackSink(createWebClient('xoxb-x', slack.apiUrl)), record, {
        sleep: async (ms) => t.clock.advance(ms),
        paceMs: 0,
      });
      const posts = slack.posts().length;
      const error = r.status === 'posted' ? '' : r.error;
      const ok =
        r.status === status &&
        posts === (status === 'posted' ? 1 : 0) &&
        message.test(error) &&
        (await t.services.digests.find('C1', 'k'))?.status === status;
      table.add({
        fault: `slack: ${name}`,
        expected: status === 'posted' ? 'posted exactly once' : 'failed with an actionable message, not retried',
        observed: `${r.status}, ${posts} post(s)${error ? `: ${error}` : ''}`,
        pass: ok,
      });
      expect(ok).toBe(true);
    } finally {
      await slack.close();
      await t.close();
    }
  });
});

describe('process faults', () => {
  it('kill -9 in the middle of a poll, then restart: nothing lost, nothing twice', async () => {
    let release: (() => void) | undefined;
    const server = await startServer({
      '/a': serve(GOOD),
      '/slow': (_q, res) => {
        // Answers only after the test has killed the first poller.
        release = () =>
          res.writeHead(200).end(rss([{ title: 'Zhipu ships GLM-5.2', guid: 's1', link: 'https://n.example/s1' }]));
      },
    });
    const t = tempDir();
    const env = {
      PATH: process.env.PATH,
      DATABASE_PATH: join(t.dir, 'kill.sqlite'),
      ALLOW_PRIVATE_FEED_URLS: 'true',
      LOG_LEVEL: 'error',
      FEED_TIMEOUT_MS: '5000',
      // The killed poller's claim on the slow feed lapses after a second, instead of two minutes.
      WORK_LEASE_SECONDS: '1',
    };
    const cli = (...args: string[]) =>
      spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const done = (c: ReturnType<typeof cli>) => new Promise<number | null>((r) => c.on('exit', (code) => r(code)));
    try {
      await done(
        cli(
          'feeds',
          'import',
          `<opml><body><outline xmlUrl="${server.url('/a')}"/><outline xmlUrl="${server.url('/slow')}"/></body></opml>`,
        ),
      );
      const poller = cli('poll', '--all');
      // Kill once the fast feed's items are stored and the slow feed is still being fetched.
      const Database = (await import('better-sqlite3')).default;
      // Waits for the precondition, not a fixed time: a loaded machine starts the poller slowly.
      for (let i = 0; i < 4000; i++) {
        await new Promise((r) => setTimeout(r, 10));
        if (!release) continue;
        const db = new Database(env.DATABASE_PATH, { readonly: true, fileMustExist: true });
        const n = (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
        db.close();
        if (n >= 2) break;
      }
      poller.kill('SIGKILL');
      await done(poller);
      release?.();
      // The restart comes once the dead poller's lease on the slow feed has run out (before that, a
      // poll leaves the feed to it, as to any live process).
      const db = new Database(env.DATABASE_PATH, { readonly: true, fileMustExist: true });
      const lease = db.prepare('SELECT max(expires_at) AS at FROM work_claims').get() as { at: string | null };
      db.close();
      const wait = lease.at ? Date.parse(lease.at) - Date.now() : 0;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait + 20));
      server.route('/slow', serve(rss([{ title: 'Zhipu ships GLM-5.2', guid: 's1', link: 'https://n.example/s1' }])));
      const again = cli('poll', '--all', '--json');
      let out = '';
      again.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      expect(await done(again)).toBe(0);
      const json = JSON.parse(out) as { newItems: number };
      const check = cli('stats', '--json');
      let stats = '';
      check.stdout.on('data', (d: Buffer) => {
        stats += d.toString();
      });
      await done(check);
      const counts = (JSON.parse(stats) as { counts: { items: number; story_items: number } }).counts;
      const ok = counts.items === 3 && counts.story_items === 3 && json.newItems === 1;
      table.add({
        fault: 'process: kill -9 mid-poll, restart',
        expected: '2 stored before the kill, 1 after; each once, in a story',
        observed: `${counts.items} items, ${counts.story_items} in stories (restart stored ${json.newItems})`,
        pass: ok,
      });
      expect(ok).toBe(true);
    } finally {
      await server.close();
      t.cleanup();
    }
  }, 60_000);

  it('kill -9 mid-digest (Slack accepted, answer lost), then restart: exactly one digest', async () => {
    const t = tempDir();
    const slack = await startFakeSlack();
    try {
      const s = await buildServices(testConfig(t.dir), {
        logger: silentLogger,
        clock: fakeClock('2026-11-20T07:00:00Z'),
      });
      await s.feeds.add({ url: 'https://example.org/none' }, s.clock.now());
      await s.channels.subscribe('C1', { digestTime: '08:00', timezone: 'UTC' }, 'test', s.clock.now());
      await s.close();
      slack.fault('chat.postMessage', { kind: 'accept-then-hang' });
      const worker = (now: string) =>
        spawn(
          process.execPath,
          ['--import', 'tsx', 'test/helpers/digest-worker.ts', join(t.dir, 'test.sqlite'), slack.apiUrl, now],
          { cwd: ROOT, stdio: 'ignore' },
        );
      const first = worker('2026-11-20T08:00:05Z');
      // Up to 20 s for the worker to start and post: a loaded machine can take more than 5 s to start tsx.
      for (let i = 0; i < 2000 && slack.messages.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      first.kill('SIGKILL');
      await new Promise((r) => first.on('exit', r));
      slack.releaseHeld();
      const second = worker('2026-11-20T08:01:00Z');
      const code = await new Promise<number | null>((r) => second.on('exit', (c) => r(c)));
      const posts = slack.posts().length;
      const ok = code === 0 && posts === 1;
      table.add({
        fault: 'process: kill -9 mid-digest, restart',
        expected: 'exactly one digest in the channel',
        observed: `${posts} digest message(s); restart exit ${code}`,
        pass: ok,
      });
      expect(ok).toBe(true);
    } finally {
      await slack.close();
      t.cleanup();
    }
  }, 60_000);

  it('the CLI writes while another process holds the database and writes', async () => {
    const t = tempDir();
    const database = join(t.dir, 'shared.sqlite');
    const writer = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { openDatabase } from './src/store/open-database.ts';
         const db = openDatabase(${JSON.stringify(database)});
         const ins = db.prepare("INSERT INTO audit_log (at, actor, action) VALUES (?, 'writer', 'tick')");
         const end = Date.now() + 1500;
         while (Date.now() < end) db.transaction(() => { for (let i = 0; i < 50; i++) ins.run(new Date().toISOString()); })();
         db.close();`,
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
    try {
      await new Promise((r) => setTimeout(r, 300));
      let out = '';
      const code = await runCli(
        ['feeds', 'import', '<opml><body><outline xmlUrl="https://example.org/feed"/></body></opml>'],
        { out: (s) => (out += s), err: (s) => (out += s) },
        { DATABASE_PATH: database },
        { logger: silentLogger },
      );
      const writerCode = await new Promise<number | null>((r) => writer.on('exit', (c) => r(c)));
      const ok = code === 0 && /Imported 1 feeds/.test(out) && writerCode === 0;
      table.add({
        fault: 'process: CLI writing while another process writes',
        expected: 'both succeed (WAL + busy timeout)',
        observed: `cli exit ${code} (${out.trim()}), writer exit ${writerCode}`,
        pass: ok,
      });
      expect(ok).toBe(true);
    } finally {
      t.cleanup();
    }
  }, 20_000);

  it('a full disk during a poll: a clear error, the process goes on, stored items stay', async () => {
    const big = rss(
      Array.from({ length: 400 }, (_, i) => ({
        title: `Story ${i} about a new model release`,
        guid: `b${i}`,
        link: `https://n.example/b${i}`,
        description: 'x'.repeat(2000),
      })),
    );
    const server = await startServer({ '/good': serve(GOOD), '/big': serve(big) });
    const t = await testServices();
    try {
      await t.services.feeds.add({ url: server.url('/good') }, t.clock.now());
      await runIngest(t.services);
      const pages = sqliteOf(t.services).pragma('page_count', { simple: true }) as number;
      sqliteOf(t.services).pragma(`max_page_count = ${pages + 20}`);
      const big1 = (await t.services.feeds.add({ url: server.url('/big') }, t.clock.now())).feed;
      const r = await runIngest(t.services);
      const row = r.feeds.find((f) => f.id === big1.id);
      const ok = row?.code === 'storage_full' && /full/.test(row.error ?? '') && (await t.services.items.count()) === 2;
      table.add({
        fault: 'process: disk full (max_page_count) mid-poll',
        expected: 'storage_full error; earlier items intact; no partial feed',
        observed: `${row?.code}: ${row?.error}; ${await t.services.items.count()} items`,
        pass: ok,
      });
      expect(ok).toBe(true);
    } finally {
      await t.close();
      await server.close();
    }
  });
});
