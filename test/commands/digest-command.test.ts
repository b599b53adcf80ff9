import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run-command.js';
import type { CommandContext } from '../../src/commands/types.js';
import { runDueDigests } from '../../src/digest/send-digest.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackSink, createWebClient } from '../../src/slack/slack-sink.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

let feeds: LocalServer;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let t: Awaited<ReturnType<typeof testServices>>;
const sleep = async (ms: number) => t.clock.advance(ms);
const sink = () => createSlackSink(createWebClient('xoxb-test', slack.apiUrl));
const ctx = (user: string, admin = false): CommandContext => ({
  services: t.services,
  actor: { id: user, isAdmin: async () => admin },
  channelId: 'C1',
  surface: 'slack',
  sink: sink(),
});
const item = (title: string, guid: string) => ({ title, guid, link: `https://n.example/${guid}`, description: title });

beforeEach(async () => {
  feeds = await startServer({ '/day1': serve(rss([item('DeepSeek releases DeepSeek-V4 under MIT', 'd1')])) });
  t = await testServices();
  slack = await startFakeSlack({ now: () => t.clock.now() });
  t.clock.set('2026-11-29T06:00:00Z');
  await t.services.feeds.add({ url: feeds.url('/day1') }, t.clock.now());
  await runIngest(t.services);
  await t.services.channels.subscribe('C1', { digestTime: '08:00', timezone: 'UTC' }, 'test', t.clock.now());
});
afterEach(async () => {
  await t.close();
  await slack.close();
  await feeds.close();
});

describe('digest now', () => {
  it('does not move the scheduled window: the next scheduled digest still carries what a manual one showed', async () => {
    t.clock.set('2026-11-29T08:00:00Z');
    await runDueDigests(t.services, sink(), { sleep });
    // The next morning a member asks for a digest an hour before the scheduled one.
    t.clock.set('2026-11-30T06:00:00Z');
    feeds.route('/day2', serve(rss([item('Mistral AI ships Mistral Large 3', 'm3')])));
    await t.services.feeds.add({ url: feeds.url('/day2') }, t.clock.now());
    await runIngest(t.services);
    t.clock.set('2026-11-30T07:00:00Z');
    expect((await runCommand(ctx('U1'), 'digest now')).text).toMatch(/Digest posted to C1/);
    const preview = await runCommand({ ...ctx('U1'), surface: 'cli' }, 'digest preview');
    expect(preview.text).toMatch(/Mistral AI ships Mistral Large 3/);
    t.clock.set('2026-11-30T08:00:00Z');
    const [scheduled] = await runDueDigests(t.services, sink(), { sleep });
    expect(scheduled?.result.status).toBe('posted');
    const record = await t.services.digests.find('C1', '2026-11-30');
    expect(record?.windowFrom).toBe('2026-11-29T08:00:00.000Z');
    expect(record?.storyIds).toHaveLength(1);
    expect(slack.posts().at(-1)?.text).toMatch(/Mistral AI ships Mistral Large 3/);
  });

  it('lets members ask once per channel per 10 minutes, admins any time; a digest that failed is given back', async () => {
    slack.fault('chat.postMessage', { kind: 'error', error: 'not_in_channel' });
    const failed = await runCommand(ctx('U1'), 'digest now');
    expect(failed.text).toMatch(/not posted: slack: not_in_channel/);
    // The bot was not in the channel; after /invite the member may try again at once.
    expect((await runCommand(ctx('U2'), 'digest now')).text).toMatch(/Digest posted to C1/);
    t.clock.advance(4 * 60_000);
    const refused = await runCommand(ctx('U3'), 'digest now');
    expect(refused).toMatchObject({ exitCode: 1 });
    expect(refused.text).toMatch(/Members can ask for another in 6 min/);
    expect((await runCommand(ctx('UADMIN', true), 'digest now')).text).toMatch(/Digest posted to C1/);
    expect((await runCommand({ ...ctx('UOTHER'), channelId: 'C2' }, 'digest now')).text).toMatch(/Digest posted to C2/);
    t.clock.advance(10 * 60_000);
    expect((await runCommand(ctx('U3'), 'digest now')).text).toMatch(/Digest posted to C1/);
    expect(new Set(slack.posts().map((m) => m.metadata?.event_payload.digest_id)).size).toBe(4);
  });
});
