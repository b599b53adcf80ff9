import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectFeedAlerts } from '../../src/ingest/feed-alerts.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { sendFeedAlerts } from '../../src/slack/send-feed-alerts.js';
import { createWebClient } from '../../src/slack/slack-sink.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

let server: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;

beforeEach(async () => {
  server = await startServer({
    '/down': (_q, res) => void res.writeHead(500).end(),
    '/old': serve(rss([{ title: 'Qwen blog post from long ago', guid: 'o1', date: 'Tue, 23 Sep 2025 10:00:00 GMT' }])),
  });
  t = await testServices({ FEED_ERROR_LIMIT: '2', ADMIN_USER_IDS: 'UADMIN1,UADMIN2' });
});
afterEach(async () => {
  await t.close();
  await server.close();
});

describe('feed-health alerts', () => {
  it('alerts once per episode for paused and stale feeds, and again after a recovery', async () => {
    const down = (await t.services.feeds.add({ url: server.url('/down') }, t.clock.now())).feed;
    await t.services.feeds.add({ url: server.url('/old') }, t.clock.now());
    await runIngest(t.services, { all: true });
    await runIngest(t.services, { all: true });
    const first = await collectFeedAlerts(t.services);
    expect(first.map((a) => [a.feedId, a.state])).toEqual([
      [down.id, 'paused'],
      [2, 'stale'],
    ]);
    expect(first[0]?.detail).toMatch(/paused after 2 failures: .*HTTP 500/);
    expect(await collectFeedAlerts(t.services)).toEqual([]);
    server.route('/down', serve(rss([{ title: 'Back', guid: 'b' }])));
    await t.services.feeds.resume(down.id, t.clock.now());
    await runIngest(t.services);
    expect(await collectFeedAlerts(t.services)).toEqual([]);
    server.route('/down', (_q, res) => void res.writeHead(500).end());
    await runIngest(t.services, { all: true });
    await runIngest(t.services, { all: true });
    expect((await collectFeedAlerts(t.services)).map((a) => a.feedId)).toEqual([down.id]);
  });

  it('DMs every admin in ADMIN_USER_IDS once', async () => {
    const slack = await startFakeSlack();
    try {
      await t.services.feeds.add({ url: server.url('/old') }, t.clock.now());
      await runIngest(t.services);
      const client = createWebClient('xoxb-x', slack.apiUrl);
      expect(await sendFeedAlerts(t.services, client)).toBe(1);
      expect(await sendFeedAlerts(t.services, client)).toBe(0);
      const dms = slack.messages.filter((m) => m.channel.startsWith('UADMIN'));
      expect(dms.map((m) => m.channel)).toEqual(['UADMIN1', 'UADMIN2']);
      expect(dms[0]?.text).toMatch(/Feeds that need attention[\s\S]*💤/);
    } finally {
      await slack.close();
    }
  });
});
