import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/core/logger.js';
import { runOnce } from '../src/main.js';
import { type LocalServer, serve, startServer } from './helpers/feed-server.js';
import { rss, TEST_ENGINE, tempDir, testConfig } from './helpers/test-services.js';

let server: LocalServer;
let t: ReturnType<typeof tempDir>;

beforeEach(async () => {
  server = await startServer({
    '/news': serve(
      rss([{ title: 'OpenAI ships gpt-oss-120b', guid: 'oss', link: 'https://openai.example/oss' }], 'OpenAI'),
    ),
  });
  t = tempDir();
});
afterEach(async () => {
  await server.close();
  t.cleanup();
});

describe('main job without credentials', () => {
  it('seeds feeds from FEEDS_FILE, polls once, reports each feed in one line and says how to connect Slack', async () => {
    const opml = join(t.dir, 'seed.opml');
    writeFileSync(
      opml,
      `<opml version="2.0"><body><outline text="OpenAI" xmlUrl="${server.url('/news')}"/><outline text="Offline" xmlUrl="http://unreachable.invalid/feed"/></body></opml>`,
    );
    server.route(
      '/models',
      serve(
        JSON.stringify({
          data: [
            {
              id: 'qwen/qwen3.5-397b-a17b',
              name: 'Qwen: Qwen3.5 397B A17B',
              hugging_face_id: 'Qwen/Qwen3.5-397B-A17B',
            },
          ],
        }),
        'application/json',
      ),
    );
    const config = testConfig(t.dir, { FEEDS_FILE: opml, OPENROUTER_MODELS_URL: server.url('/models') });
    let out = '';
    await runOnce(config, (s) => (out += s), { logger: silentLogger });
    expect(out).toMatch(/Subscribed to 2 feeds/); // the model list is a built-in source, not a feed
    expect(out).toMatch(/✓ OpenRouter models: 0 new/); // the first read of the model list is a baseline
    expect(out).toMatch(/✓ OpenAI: 1 new/);
    expect(out).toMatch(/✗ Offline: feeds: cannot resolve unreachable\.invalid/);
    expect(out).toMatch(/set SLACK_BOT_TOKEN/);
    // A second run does not seed again and stores nothing twice.
    let again = '';
    await runOnce(config, (s) => (again += s), { logger: silentLogger });
    expect(again).not.toMatch(/Subscribed/);
    expect(again).toMatch(/0 new items/);
  });

  // `npm start` on a SQLite file whatever the test engine: run once, in the SQLite project.
  it.skipIf(TEST_ENGINE === 'postgres')(
    'as `npm start` prints each feed failure once: the human line, no log line at the default level',
    async () => {
      const opml = join(t.dir, 'seed.opml');
      writeFileSync(
        opml,
        `<opml version="2.0"><body><outline text="OpenAI" xmlUrl="${server.url('/news')}"/><outline text="Refused" xmlUrl="http://127.0.0.1:1/feed"/></body></opml>`,
      );
      server.route('/models', serve(JSON.stringify({ data: [] }), 'application/json'));
      const run = (dir: string, extra: Record<string, string> = {}) =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
            cwd: join(import.meta.dirname, '..'),
            env: {
              PATH: process.env.PATH,
              DATABASE_PATH: join(dir, 'start.sqlite'),
              FEEDS_FILE: opml,
              OPENROUTER_MODELS_URL: server.url('/models'),
              ALLOW_PRIVATE_FEED_URLS: 'true',
              ...extra,
            },
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
          child.on('exit', (code) => resolve({ code, out, err }));
        });
      const [quiet, verbose] = await Promise.all([run(join(t.dir, 'a')), run(join(t.dir, 'b'), { LOG_LEVEL: 'info' })]);
      expect(quiet.code).toBe(0);
      expect(quiet.out.match(/✗ Refused: .*127\.0\.0\.1/g)).toHaveLength(1);
      expect(quiet.err).toBe('');
      // An operator who asks for logs still gets them.
      expect(verbose.err).toMatch(/"level":"info","msg":"feeds: poll failed".*"url":"http:\/\/127\.0\.0\.1:1\/feed"/);
    },
    30_000,
  );
});
