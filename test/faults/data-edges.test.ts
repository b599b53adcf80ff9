import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { formatPollReport } from '../../src/commands/poll-command.js';
import { runCommand } from '../../src/commands/run-command.js';
import type { Services } from '../../src/compose.js';
import { createLogger } from '../../src/core/logger.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { VIEWS } from '../../src/slack/ids.js';
import { FeedRepository } from '../../src/store/feed-repository.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { type Behaviour, completion, startFakeOpenAI, summarizeAll } from '../helpers/fake-openai.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { serve, startServer } from '../helpers/feed-server.js';
import { interactionBody, SIGNING_SECRET, signedPost } from '../helpers/signed-request.js';
import { rss, sqliteOf, sqlOf, TEST_ENGINE, tempDir, testServices } from '../helpers/test-services.js';
import { faultTable } from './fault-table.js';

/**
 * Fault cases at the edges of the data: provider errors and usage figures, session ids in links,
 * sources counted by feed, absurd windows, unusable database paths, read-only and full databases,
 * IPv6 spellings of private addresses, untrusted text in Slack, and podcast items.
 */
const table = faultTable();
afterAll(() => table.print('Data-edge fault cases'));
const ROOT = join(import.meta.dirname, '../..');

function row(fault: string, expected: string, observed: string, pass: boolean) {
  table.add({ fault, expected, observed, pass });
  expect(pass, observed).toBe(true);
}

const cli = (s: Services, words: string[]) =>
  runCommand({ services: s, actor: { id: 'operator', isAdmin: async () => true }, surface: 'cli' }, words);

const NEWS = rss([
  {
    title: 'DeepSeek releases DeepSeek-V4 under MIT',
    guid: 'g1',
    link: 'https://n.example/1',
    description: 'DeepSeek released V4 with open weights today, a large mixture-of-experts model.',
  },
  {
    title: 'Mistral AI ships Mistral Large 3',
    guid: 'g2',
    link: 'https://n.example/2',
    description: 'Mistral published Large 3 under Apache 2.0 for developers and companies.',
  },
]);

/** Every byte SQLite wrote for a database: the file and its write-ahead log. */
function databaseBytes(path: string): string {
  return ['', '-wal']
    .filter((suffix) => existsSync(path + suffix))
    .map((suffix) => readFileSync(path + suffix).toString('latin1'))
    .join('');
}

describe('a provider’s error text never reaches users or the database (point 4)', () => {
  const KEY = 'sk-proj-Zq8SECRETkeyVALUE1234567890abcdef';
  const echo = `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  const cases: [string, Behaviour, string, Record<string, string>?][] = [
    [
      '401 echoing the key',
      () => ({
        status: 401,
        json: { error: { message: echo, type: 'invalid_request_error', code: 'invalid_api_key' } },
      }),
      'the model rejected the request (401)',
    ],
    [
      '403 with the key in a proxy’s HTML page',
      () => ({ status: 403, raw: `<html><body>Forbidden for Authorization: Bearer ${KEY}</body></html>` }),
      'the model rejected the request (403)',
    ],
    [
      '500 echoing the key',
      () => ({ status: 500, json: { error: { message: `upstream rejected ${KEY}` } } }),
      'the model server failed (500)',
    ],
    [
      '429 echoing the key, long Retry-After',
      () => ({ status: 429, headers: { 'retry-after': '3600' }, json: { error: { message: `quota for ${KEY}` } } }),
      'the model is rate-limited (429)',
    ],
    [
      'a refusal quoting the key',
      (req) => ({ json: completion(req, '', { refusal: `I will not repeat ${KEY}` }) }),
      'the model refused the request',
    ],
    [
      'garbage that quotes the key',
      (req) => ({ json: completion(req, `Sure! ${KEY}`) }),
      'the model returned invalid output',
    ],
    ['the daily token budget spent', summarizeAll, 'the daily token budget is spent', { LLM_DAILY_TOKEN_BUDGET: '10' }],
  ];
  it.each(cases)('%s', async (name, behaviour, reason, env = {}) => {
    const feeds = await startServer({ '/news': serve(NEWS) });
    const llm = await startFakeOpenAI(behaviour);
    const logs: string[] = [];
    const t = await testServices(
      { LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'm', LLM_API_KEY: KEY, ...env },
      { model: { timeoutMs: 2000, retryBaseMs: 5 }, logger: createLogger('debug', (l) => logs.push(l)) },
    );
    try {
      await t.services.feeds.add({ url: feeds.url('/news') }, t.clock.now());
      await runIngest(t.services);
      const stories = await t.services.stories.listSince(new Date(0));
      const ledger = await t.services.sql.all<{ error: string }>('SELECT error FROM llm_usage WHERE ok = 0');
      const shown = (await cli(t.services, ['stories', '--since', '7d'])).text;
      const log = logs.join('');
      const secret = /SECRETkey/;
      const ok =
        stories.length === 2 &&
        stories.every((s) => s.summarySource === 'fallback' && s.summaryReason === reason) &&
        ledger.every((r) => r.error === reason) &&
        shown.includes(`model failed: ${reason}`) &&
        !secret.test(shown) &&
        !secret.test(databaseBytes(t.config.databasePath)) &&
        !secret.test(log) &&
        // Each failed call is logged with its class; the provider's words go there only, redacted.
        (llm.requests.length === 0 || /model call failed/.test(log)) &&
        (!name.startsWith('401') || log.includes('Incorrect API key provided: sk-[redacted]'));
      row(
        `model: ${name}`,
        `stories, usage ledger and \`stories\` say "${reason}"; log redacted`,
        `${stories[0]?.summaryReason}; ledger ${ledger.length} row(s); key in db/log/output: ${[
          databaseBytes(t.config.databasePath),
          log,
          shown,
        ]
          .map((x) => (secret.test(x) ? 'YES' : 'no'))
          .join('/')}`,
        ok,
      );
    } finally {
      await t.close();
      await llm.close();
      await feeds.close();
    }
  });

  it('ask: the reply names the failure class, never the provider text', async () => {
    const feeds = await startServer({ '/news': serve(NEWS) });
    const llm = await startFakeOpenAI(summarizeAll);
    const t = await testServices(
      { LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'm', LLM_API_KEY: KEY },
      { model: { timeoutMs: 2000, retryBaseMs: 5 } },
    );
    try {
      await t.services.feeds.add({ url: feeds.url('/news') }, t.clock.now());
      await runIngest(t.services);
      llm.setBehaviour(() => ({ status: 401, json: { error: { message: echo } } }));
      const reply = await cli(t.services, ['ask', 'What did DeepSeek release?']);
      const text = `${reply.text}\n${JSON.stringify(reply.json)}`;
      const ok =
        reply.text.includes('The model could not answer (the model rejected the request (401))') &&
        !/SECRETkey|Incorrect API key/.test(text);
      row(
        'ask: model answers 401 echoing the key',
        'matching stories, "the model rejected the request (401)"',
        reply.text.split('\n')[0] ?? '',
        ok,
      );
    } finally {
      await t.close();
      await llm.close();
      await feeds.close();
    }
  });

  it('rows written before the upgrade are scrubbed by the migration', async () => {
    const t = tempDir();
    try {
      const scrub = listMigrations().find((m) => m.name.endsWith('_scrub_provider_text.sql'));
      if (!scrub) throw new Error('the scrub migration is missing');
      const before = join(t.dir, 'before/');
      mkdirSync(before);
      for (const m of listMigrations().filter((m) => m.version < scrub.version))
        writeFileSync(join(before, m.name), m.sql);
      const path = join(t.dir, 'old.sqlite');
      const db = openDatabase(path, { migrate: false });
      migrate(db, pathToFileURL(before));
      const story = db.prepare(
        `INSERT INTO stories (first_seen_at, updated_at, published_at, last_item_at, title, summary, summary_source, summary_reason)
         VALUES ('2026-11-20', '2026-11-20', '2026-11-20', '2026-11-20', ?, 'x', 'fallback', ?)`,
      );
      story.run('a', `model request rejected (401): ${echo}`);
      story.run('b', `model refused: I will not repeat ${KEY}`);
      story.run('c', `model call failed: fetch to https://u:${KEY}@proxy.example failed`);
      story.run('d', 'model did not answer in time');
      const usage = db.prepare(
        `INSERT INTO llm_usage (at, purpose, model, prompt_tokens, completion_tokens, ok, error) VALUES ('2026-11-20', 'summarize', 'm', ?, ?, 0, ?)`,
      );
      usage.run(-5986163, 12.7, `model request rejected (401): ${echo}`);
      usage.run(1e15, 'lots', null);
      db.close();
      const upgraded = openDatabase(path);
      const reasons = (
        upgraded.prepare('SELECT summary_reason AS r FROM stories ORDER BY title').all() as { r: string }[]
      ).map((r) => r.r);
      const rows = upgraded
        .prepare('SELECT prompt_tokens AS p, completion_tokens AS c, error AS e FROM llm_usage ORDER BY id')
        .all() as { p: number; c: number; e: string | null }[];
      upgraded.pragma('wal_checkpoint(TRUNCATE)');
      upgraded.close();
      const ok =
        JSON.stringify(reasons) ===
          JSON.stringify([
            'the model rejected the request (401)',
            'the model refused the request',
            'the model call failed',
            'model did not answer in time',
          ]) &&
        JSON.stringify(rows) ===
          JSON.stringify([
            { p: 0, c: 12, e: 'the model rejected the request (401)' },
            { p: 10_000_000, c: 0, e: null },
          ]);
      row(
        'upgrade: old rows holding provider text and bad usage',
        'reasons become the fixed class reason; usage clamped',
        `${reasons.join(' | ')}; usage ${rows.map((r) => `${r.p}+${r.c}`).join(', ')}`,
        ok,
      );
    } finally {
      t.cleanup();
    }
  });
});

describe('usage figures from a provider (point 5)', () => {
  const withUsage =
    (usage: Record<string, unknown>): Behaviour =>
    (req, n) => {
      const r = summarizeAll(req, n) as { json: { usage: unknown } };
      return { json: { ...r.json, usage } };
    };
  it('negative, fractional and non-numeric usage is recorded as non-negative integers', async () => {
    const feeds = await startServer({ '/news': serve(NEWS) });
    const llm = await startFakeOpenAI(
      withUsage({ prompt_tokens: -5986163, completion_tokens: 'lots', total_tokens: null }),
    );
    const t = await testServices({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'm' }, { model: { retryBaseMs: 5 } });
    try {
      await t.services.feeds.add({ url: feeds.url('/news') }, t.clock.now());
      await runIngest(t.services);
      llm.setBehaviour(withUsage({ prompt_tokens: 120.7, completion_tokens: '30' }));
      feeds.route(
        '/more',
        serve(rss([{ title: 'Zhipu ships GLM-5.2 under MIT', guid: 'z', link: 'https://n.example/z' }])),
      );
      await t.services.feeds.add({ url: feeds.url('/more') }, t.clock.now());
      await runIngest(t.services);
      const usage = (await cli(t.services, ['usage'])).json as { spentToday: number };
      const rows = await t.services.sql.all<{ p: number; c: number }>(
        'SELECT prompt_tokens AS p, completion_tokens AS c FROM llm_usage',
      );
      const ok =
        usage.spentToday === 150 &&
        rows.every((r) => Number.isSafeInteger(r.p) && r.p >= 0 && Number.isSafeInteger(r.c) && r.c >= 0);
      row(
        'usage: -5986163, "lots", then 120.7 and "30" tokens',
        'recorded as 0, 0, then 120 and 30; usage spentToday 150',
        `spentToday ${usage.spentToday}; rows ${rows.map((r) => `${r.p}+${r.c}`).join(', ')}`,
        ok,
      );
    } finally {
      await t.close();
      await llm.close();
      await feeds.close();
    }
  });

  it('absurdly large usage is capped, and the daily budget still stops the model', async () => {
    const feeds = await startServer({ '/news': serve(NEWS) });
    const llm = await startFakeOpenAI(withUsage({ prompt_tokens: 1e300, completion_tokens: 5 }));
    const t = await testServices({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'm' }, { model: { retryBaseMs: 5 } });
    try {
      await t.services.feeds.add({ url: feeds.url('/news') }, t.clock.now());
      await runIngest(t.services);
      const calls = llm.requests.length;
      feeds.route(
        '/more',
        serve(rss([{ title: 'Zhipu ships GLM-5.2 under MIT', guid: 'z', link: 'https://n.example/z' }])),
      );
      await t.services.feeds.add({ url: feeds.url('/more') }, t.clock.now());
      await runIngest(t.services);
      const usage = (await cli(t.services, ['usage'])).json as { spentToday: number };
      const glm = (await t.services.stories.listSince(new Date(0))).find((s) => s.title.includes('GLM'));
      const ok =
        usage.spentToday === 10_000_005 &&
        llm.requests.length === calls &&
        glm?.summaryReason === 'the daily token budget is spent';
      row(
        'usage: 1e300 prompt tokens',
        'capped at 10,000,000; the next story is not sent (budget)',
        `spentToday ${usage.spentToday}; requests ${calls}→${llm.requests.length}; next: ${glm?.summaryReason}`,
        ok,
      );
    } finally {
      await t.close();
      await llm.close();
      await feeds.close();
    }
  });
});

describe('session ids in links and sources counted by feed (point 9)', () => {
  const rotating = (link: (n: number, sid: string) => string, guid: boolean) => {
    let poll = 0;
    return () => {
      poll++;
      const sid = `${poll}f3a9c${Math.random().toString(36).slice(2)}`;
      return rss(
        Array.from({ length: 5 }, (_, n) => ({
          title: `Rotating story ${n} about a new model`,
          link: link(n, sid),
          ...(guid ? { guid: link(n, sid) } : {}),
        })),
        'Rot2',
      );
    };
  };
  it.each([
    ['?sid= on every link, no guid', rotating((n, sid) => `https://rot.example/post/${n}?sid=${sid}`, false)],
    [
      '?PHPSESSID= in the link and the guid',
      rotating((n, sid) => `https://rot.example/p?id=${n}&PHPSESSID=${sid}`, true),
    ],
    [';jsessionid= in the path', rotating((n, sid) => `https://rot.example/post/${n};jsessionid=${sid}`, false)],
  ])('a feed handing out a fresh session id each poll: %s', async (name, body) => {
    const feeds = await startServer({ '/rot': (_q, res) => void res.writeHead(200).end(body()) });
    const t = await testServices();
    try {
      await t.services.feeds.add({ url: feeds.url('/rot') }, t.clock.now());
      for (let i = 0; i < 3; i++) await runIngest(t.services, { all: true });
      const items = await t.services.items.count();
      row(`links: ${name}`, '5 items after 3 polls', `${items} items after 3 polls`, items === 5);
    } finally {
      await t.close();
      await feeds.close();
    }
  });

  it('a story carried four times by one feed and once by another has two sources everywhere', async () => {
    const link = 'https://lab.example/launch';
    const feeds = await startServer({
      '/a': serve(
        rss(
          [
            'DeepSeek launches V4',
            'DeepSeek V4 launch: update',
            'DeepSeek V4 launch: weights',
            'DeepSeek V4 launch: paper',
          ].map((title, i) => ({ title, link, guid: `a${i}`, description: 'DeepSeek released V4 with open weights.' })),
          'Rot2',
        ),
      ),
      '/b': serve(rss([{ title: 'DeepSeek V4 is out', link, guid: 'b1', description: 'DeepSeek V4 ships.' }], 'Wire')),
    });
    const t = await testServices();
    try {
      await t.services.feeds.add({ url: feeds.url('/a') }, t.clock.now());
      await t.services.feeds.add({ url: feeds.url('/b') }, t.clock.now());
      await runIngest(t.services);
      t.clock.advance(60_000); // the digest window ends now; the stories were first seen a minute ago
      const preview = (await cli(t.services, ['digest', 'preview', '--format', 'json'])).json as {
        text: string;
        messages: { blocks: unknown[] }[];
      };
      const markdown = (await cli(t.services, ['digest', 'preview', '--format', 'markdown'])).text;
      const stories = (await cli(t.services, ['stories'])).text;
      const blocks = JSON.stringify(preview.messages);
      const ok =
        (await t.services.stories.count()) === 1 &&
        preview.text.includes('2 sources: Rot2, Wire') &&
        !/Rot2, Rot2/.test(preview.text + markdown + blocks + stories) &&
        blocks.includes('2 sources:') &&
        /2 sources: \[Rot2\]\([^)]+\) · \[Wire\]/.test(markdown) &&
        stories.includes('2 sources (5 reports)') &&
        stories.includes('(+3 more from this feed)');
      row(
        'digest: one feed carries a story four times',
        '"2 sources: Rot2, Wire" in text, blocks, markdown and `stories`',
        `${preview.text.match(/\d+ sources?: [^\n—]*/)?.[0] ?? '?'} | stories: ${stories.match(/\d+ sources?[^:]*/)?.[0]}`,
        ok,
      );
    } finally {
      await t.close();
      await feeds.close();
    }
  });
});

describe('edges (point 10)', () => {
  it.each([
    [['digest', 'preview', '99999999999d'], /outside the digest preview window range: use 1m to 90d/],
    [['digest', 'preview', '0h'], /outside the digest preview window range/],
    [['digest', 'now', '30d', '--channel', 'C1'], /outside the digest now window range: use 1m to 7d/],
    [['stories', '--since', '99999999999d'], /outside the stories window range: use 1m to 366d/],
  ])('window: %j', async (words, message) => {
    const t = tempDir();
    try {
      let out = '';
      const code = await runCli(
        words,
        { out: (s) => (out += s), err: (s) => (out += s) },
        { DATABASE_PATH: join(t.dir, 'w.sqlite'), LOG_LEVEL: 'error' },
      );
      const ok = code === 1 && message.test(out) && !/Invalid time value|went wrong/.test(out);
      row(`window: ${words.join(' ')}`, 'exit 1 and the allowed range', `exit ${code}: ${out.trim()}`, ok);
    } finally {
      t.cleanup();
    }
  });

  /** Runs the real CLI; a process still running after 30 s is killed and reported as hanging. */
  function runProcess(args: string[], env: Record<string, string>, asUser?: number) {
    return new Promise<{ code: number | null; out: string; err: string; hung: boolean }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(asUser !== undefined ? { uid: asUser, gid: asUser } : {}),
      });
      let out = '';
      let err = '';
      let hung = false;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const timer = setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, 30_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out, err, hung });
      });
    });
  }

  /** A fresh database holding one feed, at `path`. */
  async function seed(path: string) {
    const db = openDatabase(path);
    await new FeedRepository(sqlOf(db)).add({ url: 'https://example.org/feed' }, new Date('2026-11-20T08:00:00Z'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }

  // Root ignores file modes, so the read-only cases run the CLI as `nobody` when the suite runs as root.
  const root = process.getuid?.() === 0;
  const NOBODY = 65534;

  const pathCases: [string, (dir: string) => string | Promise<string>, RegExp][] = [
    [
      'a text file',
      (dir) => {
        writeFileSync(join(dir, 'notes.txt'), 'not a database, just notes\n');
        return join(dir, 'notes.txt');
      },
      /is not a SQLite database/,
    ],
    ['a directory', (dir) => dir, /is a directory/],
    [
      'a dangling path (its parent is a file)',
      (dir) => {
        writeFileSync(join(dir, 'file'), 'x');
        return join(dir, 'file/sub/db.sqlite');
      },
      /is under a file, not a folder/,
    ],
    ['a device (/dev/null)', () => '/dev/null', /is not a regular file/],
    ...(existsSync('/proc/self/status')
      ? ([['/proc/self/status', () => '/proc/self/status', /is not a SQLite database/]] as [
          string,
          (dir: string) => string | Promise<string>,
          RegExp,
        ][])
      : []),
    [
      'a schema newer than this code',
      async (dir) => {
        const path = join(dir, 'new.sqlite');
        await seed(path);
        const db = new Database(path);
        db.pragma('user_version = 999');
        db.close();
        return path;
      },
      /has schema v999, newer than this version of ai-news knows/,
    ],
  ];
  // DATABASE_PATH rows start a process on a SQLite file whatever the test engine: run once, in the SQLite project.
  it.skipIf(TEST_ENGINE === 'postgres').each(pathCases)(
    'DATABASE_PATH is %s',
    async (name, make, message) => {
      const t = tempDir();
      try {
        const path = await make(t.dir);
        const r = await runProcess(['stats'], { DATABASE_PATH: path });
        const lines = r.err.trim().split('\n');
        const ok =
          !r.hung &&
          r.code === 78 &&
          lines.length === 1 &&
          lines[0]?.startsWith(`DATABASE_PATH ${path} `) === true &&
          message.test(r.err) &&
          r.out === '';
        row(
          `DATABASE_PATH: ${name}`,
          'one line naming DATABASE_PATH, exit 78, no stack',
          r.hung ? 'still running after 30 s' : `exit ${r.code}: ${r.err.trim().slice(0, 200)}`,
          ok,
        );
      } finally {
        t.cleanup();
      }
    },
    40_000,
  );

  it.skipIf(TEST_ENGINE === 'postgres')(
    'a read-only database can still be read; writes say they are unavailable',
    async () => {
      const t = tempDir();
      const feeds = await startServer({ '/news': serve(NEWS) });
      try {
        const path = join(t.dir, 'ro.sqlite');
        await seed(path);
        chmodSync(path, 0o444);
        // nobody must reach the file and create SQLite's -shm next to it; the file itself stays read-only.
        if (root) chmodSync(t.dir, 0o777);
        const env = { DATABASE_PATH: path, ALLOW_PRIVATE_FEED_URLS: 'true', HOME: t.dir };
        const user = root ? NOBODY : undefined;
        const stats = await runProcess(['stats'], env, user);
        const add = await runProcess(['feeds', 'add', feeds.url('/news')], env, user);
        const check = new Database(path, { readonly: true });
        const count = (check.prepare('SELECT count(*) AS n FROM feeds').get() as { n: number }).n;
        check.close();
        const ok =
          stats.code === 0 &&
          /feeds: 1\n/.test(stats.out) &&
          /Read-only: DATABASE_PATH is not writable/.test(stats.out) &&
          add.code === 1 &&
          /read-only .*writes are unavailable.*The feed was not added/.test(add.err) &&
          count === 1;
        row(
          'read-only DATABASE_PATH: stats, then feeds add',
          'stats works and says read-only; feeds add refused, nothing written',
          `stats exit ${stats.code}${/Read-only/.test(stats.out) ? ' (read-only noted)' : ''}; add exit ${add.code}: ${add.err.trim().split('\n').at(-1)}`,
          ok,
        );
      } finally {
        await feeds.close();
        t.cleanup();
      }
    },
    60_000,
  );

  it.skipIf(TEST_ENGINE === 'postgres')(
    'a read-only database in a read-only folder gets one clear line',
    async () => {
      const t = tempDir();
      const folder = join(t.dir, 'locked');
      try {
        mkdirSync(folder);
        const path = join(folder, 'ro.sqlite');
        await seed(path);
        chmodSync(path, 0o444);
        chmodSync(folder, 0o555);
        if (root) chmodSync(t.dir, 0o755);
        const r = await runProcess(['stats'], { DATABASE_PATH: path, HOME: t.dir }, root ? NOBODY : undefined);
        const ok =
          !r.hung &&
          r.code === 78 &&
          r.err.trim().split('\n').length === 1 &&
          /DATABASE_PATH .*folder writable/.test(r.err);
        row(
          'read-only DATABASE_PATH in a read-only folder',
          'one line naming DATABASE_PATH and the folder, exit 78',
          `exit ${r.code}: ${r.err.trim()}`,
          ok,
        );
      } finally {
        chmodSync(folder, 0o755);
        t.cleanup();
      }
    },
    40_000,
  );

  it.each([
    ['IPv4-compatible', 'http://[::127.0.0.1]:PORT/news'],
    ['NAT64', 'http://[64:ff9b::127.0.0.1]:PORT/news'],
    ['6to4', 'http://[2002:7f00:1::]:PORT/news'],
  ])('SSRF: %s IPv6 spelling of 127.0.0.1', async (name, template) => {
    const feeds = await startServer({ '/news': serve(NEWS) });
    const t = tempDir();
    try {
      const url = template.replace('PORT', new URL(feeds.origin).port);
      let out = '';
      const code = await runCli(
        ['feeds', 'add', url],
        { out: (s) => (out += s), err: (s) => (out += s) },
        { DATABASE_PATH: join(t.dir, 'ssrf.sqlite'), LOG_LEVEL: 'error' },
      );
      const db = new Database(join(t.dir, 'ssrf.sqlite'), { readonly: true });
      const stored = (db.prepare('SELECT count(*) AS n FROM feeds').get() as { n: number }).n;
      db.close();
      const ok = code === 1 && /refused .*embeds 127\.0\.0\.1, a loopback address/.test(out) && stored === 0;
      row(`SSRF: ${name} ${url.replace(/:\d+\//, '/')}`, 'refused, nothing stored', `exit ${code}: ${out.trim()}`, ok);
    } finally {
      t.cleanup();
      await feeds.close();
    }
  });

  it('the add-feed DM escapes the feed title', async () => {
    const hostile = '<!channel> *Launch* <https://evil.example|docs> & `more`';
    const feeds = await startServer({ '/feed': serve(rss([{ title: 'x', guid: 'x' }], hostile)) });
    const slack = await startFakeSlack();
    const t = await testServices({ ADMIN_USER_IDS: 'UADMIN', ALLOW_PRIVATE_FEED_URLS: 'true' });
    let app: Awaited<ReturnType<typeof createSlackApp>> | undefined;
    try {
      app = await createSlackApp(t.services, {
        token: 'xoxb-test',
        signingSecret: SIGNING_SECRET,
        apiUrl: slack.apiUrl,
      });
      const port = await app.start(0);
      await signedPost(
        `http://127.0.0.1:${port}/slack/events`,
        interactionBody({
          type: 'view_submission',
          user: { id: 'UADMIN' },
          team: { id: 'T1' },
          api_app_id: 'A1',
          view: {
            id: 'V1',
            callback_id: VIEWS.addFeed,
            state: { values: { url: { value: { type: 'url_text_input', value: feeds.url('/feed') } } } },
          },
        }),
        'application/x-www-form-urlencoded',
      );
      let dm: string | undefined;
      for (let i = 0; i < 500 && !dm; i++) {
        dm = slack.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'UADMIN')?.body.text as
          | string
          | undefined;
        if (!dm) await new Promise((r) => setTimeout(r, 10));
      }
      const ok =
        !!dm &&
        /^Added feed #1 /.test(dm) &&
        !/<!|<https|[*`]/.test(dm) &&
        dm.includes('∗Launch∗') &&
        dm.includes('&amp;');
      row(
        'Slack: add-feed DM with a hostile feed title',
        'no ping, no link, no formatting; & escaped',
        dm ?? 'no DM',
        ok,
      );
    } finally {
      await app?.stop();
      await t.close();
      await slack.close();
      await feeds.close();
    }
  });

  it('offline summaries drop bare URLs from feed text', async () => {
    const feeds = await startServer({
      '/news': serve(
        rss([
          {
            title: 'DeepSeek releases V4',
            guid: 'u1',
            link: 'https://n.example/v4',
            description:
              'DeepSeek released DeepSeek-V4 today, see https://evil.example/x?id=1 for the weights and the paper. The model is available at www.evil.example/download under the MIT licence for everyone.',
          },
        ]),
      ),
    });
    const t = await testServices();
    try {
      await t.services.feeds.add({ url: feeds.url('/news') }, t.clock.now());
      await runIngest(t.services);
      const summary = (await t.services.stories.listSince(new Date(0)))[0]?.summary ?? '';
      const ok = summary.includes('DeepSeek released DeepSeek-V4') && !/evil\.example|https?:|www\./.test(summary);
      row('offline summary of text with bare URLs', 'the sentences kept, the URLs gone', summary, ok);
    } finally {
      await t.close();
      await feeds.close();
    }
  });

  it('*, _, ~ and backticks in a title do not break the digest’s bold', async () => {
    const title = 'GPT-5 *beats* o3 _by far_ ~really~ `now`';
    const feeds = await startServer({
      '/news': serve(
        rss([{ title, guid: 'f1', link: 'https://n.example/f', description: 'OpenAI released GPT-5 today.' }]),
      ),
    });
    const t = await testServices();
    try {
      await t.services.feeds.add({ url: feeds.url('/news') }, t.clock.now());
      await runIngest(t.services);
      t.clock.advance(60_000);
      const preview = (await cli(t.services, ['digest', 'preview', '--format', 'json'])).json as {
        messages: { blocks: { block_id?: string; text?: { text: string } }[] }[];
      };
      const section = preview.messages[0]?.blocks.find((b) => b.block_id?.startsWith('story-'))?.text?.text ?? '';
      const head = section.split('\n')[0] ?? '';
      const ok = /^\*<https:\/\/n\.example\/f\|[^*_~`]+>\*$/.test(head) && head.includes('∗beats∗');
      row('digest: title with *, _, ~ and `', 'one bold link, the marks shown as look-alikes', head, ok);
    } finally {
      await t.close();
      await feeds.close();
    }
  });

  const big = rss(
    Array.from({ length: 400 }, (_, i) => ({
      title: `Story ${i} about a new model release`,
      guid: `b${i}`,
      link: `https://n.example/b${i}`,
      description: 'x'.repeat(2000),
    })),
  );

  // A full disk is simulated with SQLite's max_page_count; PostgreSQL's disk is the server's, not ours to fill.
  it.skipIf(TEST_ENGINE === 'postgres')(
    'a full disk during a poll is reported once and charged to no feed',
    async () => {
      const feeds = await startServer({
        '/good': serve(NEWS),
        '/big': serve(big),
        '/c': serve(rss([{ title: 'Qwen 3.5 is out', guid: 'c1', link: 'https://n.example/c' }])),
        '/d': serve(rss([{ title: 'Kimi K3 is out', guid: 'd1', link: 'https://n.example/d' }])),
      });
      const t = await testServices();
      try {
        await t.services.feeds.add({ url: feeds.url('/good') }, t.clock.now());
        await runIngest(t.services);
        const pages = sqliteOf(t.services).pragma('page_count', { simple: true }) as number;
        sqliteOf(t.services).pragma(`max_page_count = ${pages + 20}`);
        for (const p of ['/big', '/c', '/d']) await t.services.feeds.add({ url: feeds.url(p) }, t.clock.now());
        const full = await runIngest(t.services);
        const report = formatPollReport(full);
        const health = await t.services.feeds.list();
        sqliteOf(t.services).pragma('max_page_count = 1073741823');
        const again = await runIngest(t.services);
        const ok =
          full.storage?.code === 'storage_full' &&
          report.split('\n').filter((l) => /full/.test(l)).length === 1 &&
          health.every((f) => f.errorCount === 0 && f.lastError === null && f.pausedAt === null) &&
          again.storage === undefined &&
          (await t.services.items.count()) === 2 + 400 + 2;
        row(
          'disk full (max_page_count) during a poll of 3 new feeds',
          'one storage_full line; no feed charged; all stored once there is room',
          `${report
            .split('\n')
            .find((l) => /full/.test(l))
            ?.slice(
              0,
              90,
            )}; errors ${health.map((f) => f.errorCount).join('/')}; then ${await t.services.items.count()} items`,
          ok,
        );
      } finally {
        await t.close();
        await feeds.close();
      }
    },
  );

  it.skipIf(TEST_ENGINE === 'postgres')('feeds add that fails half-way leaves no half-added feed', async () => {
    const feeds = await startServer({ '/good': serve(NEWS), '/big': serve(big) });
    const t = await testServices();
    try {
      await t.services.feeds.add({ url: feeds.url('/good') }, t.clock.now());
      await runIngest(t.services);
      const pages = sqliteOf(t.services).pragma('page_count', { simple: true }) as number;
      sqliteOf(t.services).pragma(`max_page_count = ${pages + 5}`);
      const reply = await cli(t.services, ['feeds', 'add', feeds.url('/big')]);
      const ok =
        reply.exitCode === 1 &&
        /full.*The feed was not added/.test(reply.text) &&
        (await t.services.feeds.count()) === 1 &&
        (await t.services.items.count()) === 2;
      row(
        'disk full during feeds add',
        'a clear error; no feed row without its items',
        `exit ${reply.exitCode}: ${reply.text.slice(0, 80)}…; ${await t.services.feeds.count()} feed(s), ${await t.services.items.count()} items`,
        ok,
      );
    } finally {
      await t.close();
      await feeds.close();
    }
  });
});

describe('podcast items (point 11)', () => {
  it('an item whose only text is itunes:summary is stored with that text', async () => {
    const pod = `<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>AI Pod</title>
      <item><guid isPermaLink="false">ep-12</guid><itunes:summary>Episode 12: the DeepSeek team on V4 and open weights.</itunes:summary></item>
      </channel></rss>`;
    const feeds = await startServer({ '/pod': serve(pod) });
    const t = await testServices();
    try {
      await t.services.feeds.add({ url: feeds.url('/pod') }, t.clock.now());
      const r = await runIngest(t.services);
      const stories = (await cli(t.services, ['stories'])).text;
      const ok = r.newItems === 1 && stories.includes('Episode 12: the DeepSeek team on V4 and open weights.');
      row(
        'podcast item with only itunes:summary',
        'stored; its text is the summary',
        `${r.newItems} new; ${stories.split('\n')[2]?.trim()}`,
        ok,
      );
    } finally {
      await t.close();
      await feeds.close();
    }
  });
});
