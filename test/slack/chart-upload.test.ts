import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { pngSize } from '../helpers/png.js';
import { commandBody, SIGNING_SECRET, signedPost } from '../helpers/signed-request.js';
import { rss, testServices } from '../helpers/test-services.js';

type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
let slack: FakeSlack;
let feeds: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;
let app: Awaited<ReturnType<typeof createSlackApp>>;
let base: string;

beforeEach(async () => {
  slack = await startFakeSlack();
  feeds = await startServer({
    '/feed': serve(
      rss([
        { title: 'DeepSeek releases DeepSeek-V4 under MIT', guid: 'a', link: 'https://n.example/a' },
        { title: 'Mistral ships Mistral Large 3 with open weights', guid: 'b', link: 'https://n.example/b' },
      ]),
    ),
  });
  t = await testServices({ OPENROUTER_MODELS_URL: 'off', OPENROUTER_RANKINGS_URL: 'off' });
  await t.services.feeds.add({ url: feeds.url('/feed') }, t.clock.now());
  await runIngest(t.services);
  t.clock.advance(3600_000); // the stories are an hour old when the chart is asked for
  app = await createSlackApp(t.services, {
    token: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
  });
  base = `http://127.0.0.1:${await app.start(0)}/slack/events`;
});
afterEach(async () => {
  await app?.stop();
  await t?.close();
  await slack.close();
  await feeds.close();
});

/** Resolves once the fake Slack has seen a call, on its own events (no sleeping on a timer loop). */
async function completed(): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (slack.calls.some((c) => c.method === 'files.completeUploadExternal')) return;
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no files.completeUploadExternal call');
}

describe('charts in Slack', () => {
  it('`/ai-news trends chart` uploads the PNG with its alt text through files.uploadV2 on loopback', async () => {
    const res = await signedPost(
      base,
      commandBody('trends 30d chart', { user: 'U1', channel: 'C1', responseUrl: `${slack.apiUrl}response.hook` }),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    await completed();
    const methods = slack.calls.map((c) => c.method).filter((m) => m.startsWith('files.') || m === 'upload');
    expect(methods).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    const [file] = slack.files();
    expect(file).toMatchObject({ channel: 'C1', filename: 'trends-30d.png', title: 'AI news coverage, last 30 days' });
    const png = file?.bytes as Buffer;
    expect(file?.length).toBe(png.length);
    expect(pngSize(png).width).toBe(800);
    expect(file?.altText).toMatch(
      /^AI news coverage, last 30 days .*By origin: .*China \d+\.\d% \(previous 30 days: 0\.0%\)/,
    );
    // The text reply still comes back (ephemeral); the chart is shared with the channel.
    expect(res.text).toMatch(/AI model ecosystem, last 30 days/);
  });

  it('tells the user how to fix a chart Slack refused, and still answers in text', async () => {
    slack.fault('files.getUploadURLExternal', { kind: 'error', error: 'not_in_channel' });
    await signedPost(
      base,
      commandBody('trends chart', { user: 'U1', channel: 'C9', responseUrl: `${slack.apiUrl}response.hook` }),
      'application/x-www-form-urlencoded',
    );
    for (let i = 0; i < 500 && !slack.calls.some((c) => c.method === 'response.hook'); i++)
      await new Promise((r) => setTimeout(r, 5));
    const hook = slack.calls.find((c) => c.method === 'response.hook');
    expect(String(hook?.body.text)).toMatch(/invite the bot to this channel/);
    expect(slack.files().filter((f) => f.channel)).toEqual([]);
  });
});
