import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { silentLogger } from '../../src/core/logger.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { OFFLINE_SOURCES, rss, tempDir } from '../helpers/test-services.js';

let server: LocalServer;
let t: ReturnType<typeof tempDir>;
let env: Record<string, string>;

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) }, env, { logger: silentLogger });
  return { code, out, err };
}

beforeEach(async () => {
  server = await startServer({
    '/a': serve(
      rss([{ title: 'Kimi K2.6 is out', guid: 'k26', link: 'https://moonshot.example/k26' }], 'Moonshot news'),
    ),
    '/b': serve(rss([{ title: 'Mistral Large 3', guid: 'ml3' }], 'Mistral news')),
    '/html': serve('<html><body>Nope</body></html>', 'text/html'),
  });
  t = tempDir();
  env = {
    DATABASE_PATH: join(t.dir, 'cli.sqlite'),
    ALLOW_PRIVATE_FEED_URLS: 'true',
    FEED_TIMEOUT_MS: '2000',
    ...OFFLINE_SOURCES,
  };
});
afterEach(async () => {
  await server.close();
  t.cleanup();
});

describe('ai-news CLI', () => {
  it('adds a feed only after a real fetch shows it is a feed', async () => {
    const ok = await cli('feeds', 'add', server.url('/a'));
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Added #1 Moonshot news: 1 entries found, 1 stored/);
    const bad = await cli('feeds', 'add', server.url('/html'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/HTML page, not a feed.*not added/);
    const list = await cli('feeds', '--json');
    expect(JSON.parse(list.out).feeds.map((f: { url: string }) => f.url)).toEqual([server.url('/a')]);
  });

  it('refuses private addresses unless ALLOW_PRIVATE_FEED_URLS is set', async () => {
    env.ALLOW_PRIVATE_FEED_URLS = 'false';
    const r = await cli('feeds', 'add', server.url('/a'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refused 127\.0\.0\.1.*ALLOW_PRIVATE_FEED_URLS/);
  });

  it('poll --json prints one object with per-feed status and the new item count', async () => {
    const opml = join(t.dir, 'in.opml');
    writeFileSync(
      opml,
      `<opml version="2.0"><body><outline text="x"><outline xmlUrl="${server.url('/a')}" text="A"/><outline xmlUrl="${server.url('/b')}" text="B"/>
       <outline xmlUrl="${server.url('/missing')}" text="Gone"/></outline></body></opml>`,
    );
    expect((await cli('feeds', 'import', opml)).out).toMatch(/Imported 3 feeds/);
    const r = await cli('poll', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.newItems).toBe(2);
    expect(json.feeds).toEqual([
      expect.objectContaining({ url: server.url('/a'), status: 'ok', newItems: 1 }),
      expect.objectContaining({ url: server.url('/b'), status: 'ok', newItems: 1 }),
      expect.objectContaining({
        url: server.url('/missing'),
        status: 'error',
        newItems: 0,
        error: expect.stringMatching(/HTTP 404/),
      }),
    ]);
  });

  it('removes feeds by id or URL, exports OPML and writes admin changes to the audit log', async () => {
    await cli('feeds', 'add', server.url('/a'));
    await cli('feeds', 'add', server.url('/b'), 'Mistral', 'blog');
    const exported = await cli('feeds', 'export');
    expect(exported.out).toContain(`xmlUrl="${server.url('/b')}"`);
    expect(exported.out).toContain('title="Mistral blog"');
    expect((await cli('feeds', 'remove', '1')).out).toMatch(/Removed #1/);
    expect((await cli('feeds', 'remove', server.url('/b'))).out).toMatch(/Removed #2/);
    expect((await cli('feeds', 'remove', '99')).err).toMatch(/No feed 99/);
  });

  it('migrate reports the schema version; a bad setting fails fast naming the key', async () => {
    expect((await cli('migrate')).out).toMatch(/schema v\d+/);
    env.PORT = 'abc';
    const r = await cli('feeds');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/PORT: must be a whole number/);
  });

  it('searches stored items by any word', async () => {
    await cli('feeds', 'add', server.url('/a'));
    expect((await cli('kimi')).out).toMatch(/Kimi K2\.6 is out/);
    expect((await cli('search', 'nothing-like-this')).out).toMatch(/Nothing stored matches/);
  });

  it('works with only SLACK_BOT_TOKEN set: poll, and digest now posting to Slack', async () => {
    const slack = await startFakeSlack();
    try {
      env = { ...env, SLACK_BOT_TOKEN: 'xoxb-cli-only', SLACK_API_URL: slack.apiUrl };
      await cli('feeds', 'add', server.url('/a'));
      const poll = await cli('poll', '--all');
      expect(poll.code).toBe(0);
      expect(poll.out).toMatch(/feeds polled/);
      const digest = await cli('digest', 'now', '--channel', 'C0123');
      expect(digest).toMatchObject({ code: 0, out: expect.stringMatching(/Digest posted to C0123/) });
      expect(slack.posts().map((m) => m.channel)).toEqual(['C0123']);
      // The operator is not rate limited.
      expect((await cli('digest', 'now', '--channel', 'C0123')).code).toBe(0);
    } finally {
      await slack.close();
    }
  });

  it.each(['25:99', '24:00', '8:5', '7pm', '08:30:00', '8h30'])(
    'refuses the time-shaped "%s" in subscribe, saving nothing',
    async (word) => {
      const r = await cli('subscribe', '--channel', 'C0123', word, 'Europe/Madrid');
      expect(r.code).toBe(1);
      expect(r.err).toContain(`"${word}" is not a time; use 24-hour HH:MM, e.g. 08:30 or 17:45. Nothing was saved.`);
      expect((await cli('settings', '--channel', 'C0123')).out).toMatch(/not subscribed/);
    },
  );

  it('still reads topics that contain a colon, and a valid time', async () => {
    const r = await cli('subscribe', '--channel', 'C0123', '7:45', 'lab:deepseek', 'origin:CN');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/daily digest at 07:45 UTC[\s\S]*Topics: lab:deepseek origin:CN/);
  });
});
