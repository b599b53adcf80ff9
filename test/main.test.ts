import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/core/logger.js';
import { runOnce } from '../src/main.js';
import { type LocalServer, serve, startServer } from './helpers/feed-server.js';
import { rss, tempDir, testConfig } from './helpers/test-services.js';

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
    expect(out).toMatch(/Subscribed to 3 feeds/);
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
});
