import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { ACTIONS, VIEWS } from '../../src/slack/ids.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { commandBody, eventBody, interactionBody, SIGNING_SECRET, signedPost } from '../helpers/signed-request.js';
import { testServices } from '../helpers/test-services.js';

type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
let slack: FakeSlack;
let t: Awaited<ReturnType<typeof testServices>>;
let app: Awaited<ReturnType<typeof createSlackApp>>;
let base: string;

beforeEach(async () => {
  slack = await startFakeSlack();
  t = await testServices({ ADMIN_USER_IDS: 'UADMIN' });
  app = await createSlackApp(t.services, {
    token: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
  });
  base = `http://127.0.0.1:${await app.start(0)}/slack/events`;
});
afterEach(async () => {
  await app.stop();
  await t.close();
  await slack.close();
});

const command = async (text: string, user: string, channel = 'C1') =>
  JSON.parse(
    (
      await signedPost(
        base,
        commandBody(text, { user, channel, responseUrl: `${slack.apiUrl}response.hook` }),
        'application/x-www-form-urlencoded',
      )
    ).text,
  ) as { text: string; response_type: string };
const submit = (callbackId: string, values: Record<string, Record<string, unknown>>, user = 'UADMIN') =>
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
const click = (actionId: string, user = 'UADMIN') =>
  signedPost(
    base,
    interactionBody({
      type: 'block_actions',
      user: { id: user },
      team: { id: 'T1' },
      trigger_id: 't1',
      api_app_id: 'A1',
      actions: [{ action_id: actionId, block_id: 'home_admin', type: 'button', value: '' }],
      container: { type: 'view' },
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

describe('watch rules in Slack', () => {
  it('lets admins add and remove rules with /ai-news watch, and refuses everyone else', async () => {
    const refused = await command('watch add lab:deepseek', 'USOMEONE');
    expect(refused.text).toMatch(/Only admins can add watch rules/);
    expect(await t.services.watch.rules()).toEqual([]);
    const added = await command('watch add lab:deepseek -rumor', 'UADMIN');
    expect(added.response_type).toBe('in_channel');
    expect(added.text).toMatch(/Watch #1 added for C1: lab:deepseek -rumor/);
    const list = await command('watch', 'USOMEONE');
    expect(list.response_type).toBe('ephemeral');
    expect(list.text).toMatch(/Watch rules for C1 \(1\):\n #1 lab:deepseek -rumor — added 0 min ago by slack:UADMIN/);
    expect((await command('watch remove 1', 'USOMEONE')).text).toMatch(/Only admins can remove watch rules/);
    expect((await command('watch remove 1', 'UADMIN', 'C2')).text).toMatch(/Watch #1 belongs to C1; remove it there/);
    expect((await command('watch remove 1', 'UADMIN')).text).toMatch(/Removed watch #1/);
    expect((await t.services.audit.list()).map((e) => [e.actor, e.action, e.detail.channel])).toEqual([
      ['slack:UADMIN', 'watch.remove', 'C1'],
      ['slack:UADMIN', 'watch.add', 'C1'],
    ]);
  });

  it('shows rules in the App Home, and lets admins add and remove them through modals', async () => {
    await t.services.watch.addRule('C05WATCH', '', 'kind:release origin:CN', 'cli:operator', t.clock.now());
    await signedPost(
      base,
      eventBody({ type: 'app_home_opened', user: 'UADMIN', channel: 'D1', tab: 'home' }),
      'application/json',
    );
    const home = JSON.stringify(
      (await until(() => slack.calls.find((c) => c.method === 'views.publish' && c.body.user_id === 'UADMIN'))).body
        .view,
    );
    expect(home).toContain('*Watch rules* (1)');
    expect(home).toContain('#1 <#C05WATCH>: kind:release origin:CN');
    expect(home).toContain(ACTIONS.homeAddWatch);

    await click(ACTIONS.homeAddWatch);
    const opened = await until(() => slack.calls.find((c) => c.method === 'views.open'));
    expect((opened.body.view as { callback_id: string }).callback_id).toBe(VIEWS.addWatch);
    const bad = await submit(VIEWS.addWatch, {
      channel: { value: { type: 'conversations_select', selected_conversation: 'C42' } },
      topics: { value: { type: 'plain_text_input', value: 'kind:gossip' } },
    });
    expect(JSON.parse(bad.text)).toMatchObject({
      response_action: 'errors',
      errors: { topics: expect.stringMatching(/kind:gossip is not a kind/) },
    });
    const ok = await submit(VIEWS.addWatch, {
      channel: { value: { type: 'conversations_select', selected_conversation: 'C42' } },
      topics: { value: { type: 'plain_text_input', value: 'lab:mistral open' } },
    });
    expect(ok.status).toBe(200);
    expect(await t.services.watch.rules('C42')).toMatchObject([
      {
        id: 2,
        topics: 'lab:mistral open',
        teamId: '' /* single workspace: the default team, whatever the payload says */,
      },
    ]);
    const stranger = await submit(
      VIEWS.addWatch,
      {
        channel: { value: { type: 'conversations_select', selected_conversation: 'C43' } },
        topics: { value: { type: 'plain_text_input', value: 'lab:openai' } },
      },
      'UNOBODY',
    );
    expect(JSON.parse(stranger.text)).toMatchObject({ response_action: 'errors' });
    expect(await t.services.watch.rules('C43')).toEqual([]);

    await click(ACTIONS.homeRemoveWatches);
    const removeView = await until(() =>
      slack.calls.find(
        (c) =>
          c.method === 'views.open' && (c.body.view as { callback_id: string }).callback_id === VIEWS.removeWatches,
      ),
    );
    expect(JSON.stringify(removeView.body.view)).toContain('#2 C42: lab:mistral open');
    await submit(VIEWS.removeWatches, {
      rules: { value: { type: 'multi_static_select', selected_options: [{ value: '1' }, { value: '2' }] } },
    });
    await until(async () => ((await t.services.watch.rules()).length === 0 ? true : undefined));
    expect((await t.services.audit.list()).map((e) => e.action)).toEqual(['watch.remove', 'watch.remove', 'watch.add']);
  });
});
