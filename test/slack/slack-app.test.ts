import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { ACTIONS, VIEWS } from '../../src/slack/ids.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { commandBody, eventBody, interactionBody, SIGNING_SECRET, signedPost } from '../helpers/signed-request.js';
import { rss, testServices } from '../helpers/test-services.js';

type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
let slack: FakeSlack;
let feeds: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;
let app: Awaited<ReturnType<typeof createSlackApp>>;
let base: string;

async function boot(env: Record<string, string> = {}) {
  t = await testServices({ ADMIN_USER_IDS: 'UADMIN', ...env });
  app = await createSlackApp(t.services, {
    token: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
  });
  const port = await app.start(0);
  base = `http://127.0.0.1:${port}/slack/events`;
}

beforeEach(async () => {
  slack = await startFakeSlack({ admins: ['UWSADMIN'] });
  feeds = await startServer({
    '/feed': serve(
      rss(
        [
          {
            title: 'DeepSeek releases DeepSeek-V4 under MIT',
            guid: 'a',
            link: 'https://n.example/a',
            description: 'DeepSeek released V4.',
          },
        ],
        'AI Wire',
      ),
    ),
  });
});
afterEach(async () => {
  await app?.stop();
  await t?.close();
  await slack.close();
  await feeds.close();
});

const responseUrl = () => `${slack.apiUrl}response.hook`;
const command = (text: string, user = 'U1', channel = 'C1') =>
  signedPost(
    base,
    commandBody(text, { user, channel, responseUrl: responseUrl() }),
    'application/x-www-form-urlencoded',
  );
const responses = () =>
  slack.calls
    .filter((c) => c.method === 'response.hook')
    .map((c) => c.body as { text?: string; response_type?: string; blocks?: unknown[] });
/** A modal submission as Slack sends it. */
const submitView = (callbackId: string, values: Record<string, Record<string, unknown>>, user = 'UADMIN') =>
  signedPost(
    base,
    interactionBody({
      type: 'view_submission',
      user: { id: user },
      team: { id: 'T1' },
      api_app_id: 'A1',
      view: { id: 'V1', callback_id: callbackId, state: { values } },
    }),
    'application/x-www-form-urlencoded',
  );
async function until<T>(get: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Slack app over HTTP (signed requests, fake Web API)', () => {
  it('answers /ai-news help inside the ack, privately, well within 3 s', async () => {
    await boot();
    const r = await command('help');
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/feeds add &lt;url&gt;/);
    expect(r.ms).toBeLessThan(3000);
  });

  it('refuses a bad signature and a stale timestamp with 401', async () => {
    await boot();
    const bad = await signedPost(
      base,
      commandBody('help', { responseUrl: responseUrl() }),
      'application/x-www-form-urlencoded',
      { secret: 'wrong' },
    );
    expect(bad.status).toBe(401);
    const stale = await signedPost(
      base,
      commandBody('help', { responseUrl: responseUrl() }),
      'application/x-www-form-urlencoded',
      { timestamp: Math.floor(Date.now() / 1000) - 600 },
    );
    expect(stale.status).toBe(401);
  });

  it('treats unknown words as a search, and handles long text and odd Unicode', async () => {
    await boot();
    const r = await command(`${'ｄｅｅｐｓｅｅｋ 🤖 '.repeat(400)}\u202e`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).text).toMatch(/Nothing stored matches|results for/);
  });

  it('refuses feeds add from a non-admin, and nothing changes', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    const r = await command(`feeds add ${feeds.url('/feed')}`, 'URANDOM');
    expect(r.status).toBe(200);
    const reply = await until(() => responses()[0]);
    expect(reply.text).toMatch(/Only admins can add feeds/);
    expect(await t.services.feeds.count()).toBe(0);
    expect(await t.services.audit.list()).toEqual([]);
  });

  it('lets an admin add a feed (acked at once, answered through respond), and refuses a private address', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'false' });
    const refused = await command('feeds add http://127.0.0.1:9/feed', 'UADMIN');
    expect(JSON.parse(refused.text).text).toMatch(/Working on it/);
    expect((await until(() => responses()[0])).text).toMatch(/refused 127\.0\.0\.1.*loopback/);
    expect(await t.services.feeds.count()).toBe(0);
  });

  it('adds a feed for an admin and writes the audit log', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    await command(`feeds add ${feeds.url('/feed')}`, 'UADMIN');
    expect((await until(() => responses()[0])).text).toMatch(/Added #1 AI Wire/);
    expect((await t.services.audit.list())[0]).toMatchObject({ actor: 'slack:UADMIN', action: 'feeds.add' });
    expect(JSON.parse((await command('audit', 'UADMIN')).text).text).toMatch(/slack:UADMIN +feeds\.add/);
    expect(JSON.parse((await command('audit', 'UNOBODY')).text).text).toMatch(/Only admins can read the audit log/);
  });

  it('recognises workspace admins through users.info, and fails closed when Slack cannot answer', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    await command('subscribe 08:30 Europe/Madrid', 'UWSADMIN');
    expect(await t.services.channels.get('C1')).toMatchObject({
      subscribed: true,
      digestTime: '08:30',
      timezone: 'Europe/Madrid',
    });
    slack.fault('users.info', { kind: 'status', status: 500 });
    const r = await command('unsubscribe', 'USOMEONE');
    expect(JSON.parse(r.text).text).toMatch(/Only admins/);
    expect((await t.services.channels.get('C1'))?.subscribed).toBe(true);
  });

  it('publishes App Home with feed health, and admin buttons only for admins', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    await t.services.feeds.add({ url: feeds.url('/feed') }, t.clock.now());
    await runIngest(t.services);
    await signedPost(
      base,
      eventBody({ type: 'app_home_opened', user: 'UADMIN', channel: 'D1', tab: 'home' }),
      'application/json',
    );
    const admin = await until(() =>
      slack.calls.find((c) => c.method === 'views.publish' && c.body.user_id === 'UADMIN'),
    );
    const adminView = JSON.stringify(admin.body.view);
    expect(adminView).toContain('*Feeds* (1; 0 need attention)');
    expect(adminView).toContain(ACTIONS.homeAddFeed);
    await signedPost(
      base,
      eventBody({ type: 'app_home_opened', user: 'UOTHER', channel: 'D2', tab: 'home' }),
      'application/json',
    );
    const other = await until(() =>
      slack.calls.find((c) => c.method === 'views.publish' && c.body.user_id === 'UOTHER'),
    );
    expect(JSON.stringify(other.body.view)).not.toContain(ACTIONS.homeAddFeed);
    expect((admin.body.view as { blocks: unknown[] }).blocks.length).toBeLessThanOrEqual(100);
  });

  it('opens the add-feed modal for an admin, and adds the feed when the modal is submitted', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    await signedPost(
      base,
      interactionBody({
        type: 'block_actions',
        user: { id: 'UADMIN' },
        team: { id: 'T1' },
        trigger_id: 't1',
        api_app_id: 'A1',
        actions: [{ action_id: ACTIONS.homeAddFeed, block_id: 'home_admin', type: 'button', value: '' }],
        container: { type: 'view' },
      }),
      'application/x-www-form-urlencoded',
    );
    const opened = await until(() => slack.calls.find((c) => c.method === 'views.open'));
    expect((opened.body.view as { callback_id: string }).callback_id).toBe(VIEWS.addFeed);
    const submit = await submitView(VIEWS.addFeed, {
      url: { value: { type: 'url_text_input', value: feeds.url('/feed') } },
      name: { value: { type: 'plain_text_input', value: 'Wire' } },
    });
    expect(submit.status).toBe(200);
    expect((await t.services.feeds.list()).map((f) => f.title)).toEqual(['Wire']);
    await until(() => slack.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'UADMIN'));
  });

  it('removes feeds, imports pasted OPML and saves channel settings from the App Home modals', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    const opml = `<opml version="2.0"><body><outline text="Labs"><outline text="A" xmlUrl="https://a.example/feed"/><outline text="B" xmlUrl="https://b.example/feed"/></outline></body></opml>`;
    expect(
      (await submitView(VIEWS.importOpml, { source: { value: { type: 'plain_text_input', value: opml } } })).status,
    ).toBe(200);
    await until(async () => ((await t.services.feeds.count()) === 2 ? true : undefined));
    expect((await t.services.feeds.list()).map((f) => f.tags)).toEqual([['Labs'], ['Labs']]);
    const first = (await t.services.feeds.list())[0]?.id as number;
    await submitView(VIEWS.removeFeeds, {
      feeds: { value: { type: 'multi_static_select', selected_options: [{ value: String(first) }] } },
    });
    // The modal is acknowledged first and saved after: wait for the change rather than race it.
    await until(async () => ((await t.services.audit.list()).length === 2 ? true : undefined));
    expect((await t.services.feeds.list()).map((f) => f.url)).toEqual(['https://b.example/feed']);
    await submitView(VIEWS.channelSettings, {
      channel: { value: { type: 'conversations_select', selected_conversation: 'C42' } },
      time: { value: { type: 'timepicker', selected_time: '07:45' } },
      tz: { value: { type: 'static_select', selected_option: { value: 'Asia/Shanghai' } } },
      language: { value: { type: 'static_select', selected_option: { value: 'es' } } },
      topics: { value: { type: 'plain_text_input', value: 'origin:CN open' } },
    });
    await until(async () => ((await t.services.audit.list()).length === 3 ? true : undefined));
    expect(await t.services.channels.get('C42')).toMatchObject({
      subscribed: true,
      digestTime: '07:45',
      timezone: 'Asia/Shanghai',
      language: 'es',
      topics: 'origin:CN open',
    });
    expect((await t.services.audit.list()).map((e) => e.action)).toEqual([
      'channel.subscribe',
      'feeds.remove',
      'feeds.import',
    ]);
    const refused = await submitView(
      VIEWS.removeFeeds,
      { feeds: { value: { type: 'multi_static_select', selected_options: [] } } },
      'UNOBODY',
    );
    expect(JSON.parse(refused.text)).toMatchObject({ response_action: 'errors' });
  });

  it('shows a modal error when a submitted feed is not a feed', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    feeds.route('/page', serve('<html><body>hi</body></html>', 'text/html'));
    const r = await submitView(VIEWS.addFeed, {
      url: { value: { type: 'url_text_input', value: feeds.url('/page') } },
    });
    expect(JSON.parse(r.text)).toMatchObject({
      response_action: 'errors',
      errors: { url: expect.stringMatching(/HTML page/) },
    });
  });

  it('stores 👍/👎 on a digest story for the channel', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    await t.services.feeds.add({ url: feeds.url('/feed') }, t.clock.now());
    await runIngest(t.services);
    const storyId = (await t.services.stories.listSince(new Date(0)))[0]?.id as number;
    const click = (actionId: string, user: string) =>
      signedPost(
        base,
        interactionBody({
          type: 'block_actions',
          user: { id: user },
          team: { id: 'T1' },
          channel: { id: 'C9' },
          api_app_id: 'A1',
          trigger_id: 't',
          response_url: responseUrl(),
          container: { type: 'message' },
          actions: [{ action_id: actionId, block_id: `actions-${storyId}`, type: 'button', value: String(storyId) }],
        }),
        'application/x-www-form-urlencoded',
      );
    await click(ACTIONS.voteUp, 'U1');
    await click(ACTIONS.voteUp, 'U2');
    await click(ACTIONS.voteDown, 'U3');
    await until(() => (responses().length >= 3 ? true : undefined));
    expect(await t.services.feedback.scoreOf('C9', storyId)).toBe(1);
    await click(ACTIONS.sources, 'U1');
    expect((await until(() => responses().find((r) => r.text?.includes('https://n.example/a')))).text).toContain(
      'AI Wire',
    );
  });

  it('posts a digest to the channel on /ai-news digest now', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    await t.services.feeds.add({ url: feeds.url('/feed') }, t.clock.now());
    await runIngest(t.services);
    await command('digest now', 'U1', 'C7');
    expect((await until(() => responses()[0])).text).toMatch(/Digest posted to C7/);
    expect(slack.posts().map((m) => m.channel)).toEqual(['C7']);
  });

  it('answers a mention in its thread', async () => {
    await boot({ ALLOW_PRIVATE_FEED_URLS: 'true' });
    await t.services.feeds.add({ url: feeds.url('/feed') }, t.clock.now());
    await runIngest(t.services);
    await signedPost(
      base,
      eventBody({
        type: 'app_mention',
        user: 'U1',
        channel: 'C1',
        ts: '1700000000.000100',
        text: '<@UBOT> what did DeepSeek release?',
      }),
      'application/json',
    );
    const reply = await until(() => slack.messages.find((m) => m.thread_ts === '1700000000.000100'));
    expect(reply.text).toMatch(/DeepSeek/);
  });
});
