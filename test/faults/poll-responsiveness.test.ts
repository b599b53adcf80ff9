import { afterAll, expect, it } from 'vitest';
import { bigStoryItems, rssDocument } from '../../bench/fixtures.js';
import { systemClock } from '../../src/core/clock.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { serve, startServer } from '../helpers/feed-server.js';
import { commandBody, SIGNING_SECRET, signedPost } from '../helpers/signed-request.js';
import { testServices } from '../helpers/test-services.js';
import { faultTable } from './fault-table.js';

/**
 * Issue 13 point 1: a poll never blocks Slack. The same process that serves Slack polls a big feed into
 * an archive of a few big stories (the shape that used to cost O(story size) per item and froze the
 * server); signed `/ai-news help` requests are sent one after another for as long as the poll runs.
 * Timing is the bench's job (`npm run bench`: slowest ack); this asserts the behaviour — requests are
 * acknowledged *while* the poll runs, every one of them, not queued behind it.
 */
const table = faultTable();
afterAll(() => table.print('Poll responsiveness'));

const GROUPS = 4;

it('slash commands are acknowledged while a 2,000-item poll clusters into big stories', async () => {
  const archive = 3_000;
  const incoming = 2_000;
  const feeds = await startServer({
    '/archive': serve(rssDocument(bigStoryItems(archive, 0, GROUPS), 'Archive'), 'application/rss+xml'),
    '/incoming': serve(rssDocument(bigStoryItems(incoming, archive, GROUPS), 'Incoming'), 'application/rss+xml'),
  });
  const slack = await startFakeSlack();
  // The real clock: the fixture's items are dated in late 2026 and must fall inside the matching windows.
  const t = await testServices({ FEED_TIMEOUT_MS: '60000' }, { clock: systemClock });
  try {
    await t.services.feeds.add({ url: feeds.url('/archive') }, systemClock.now());
    const first = await runIngest(t.services);
    expect(first.newItems).toBe(archive);
    const bigStories = await t.services.stories.count();
    await t.services.feeds.add({ url: feeds.url('/incoming') }, systemClock.now());

    const app = await createSlackApp(t.services, {
      token: 'xoxb-test',
      signingSecret: SIGNING_SECRET,
      apiUrl: slack.apiUrl,
    });
    const port = await app.start(0);
    const send = () =>
      signedPost(
        `http://127.0.0.1:${port}/slack/events`,
        commandBody('help', { responseUrl: `${slack.apiUrl}response.hook` }),
        'application/x-www-form-urlencoded',
      );
    await send(); // warm-up: Bolt's first request loads its handlers

    let polling = true;
    const poll = runIngest(t.services).finally(() => {
      polling = false;
    });
    const statuses: number[] = [];
    let duringPoll = 0;
    while (polling) {
      const r = await send();
      statuses.push(r.status);
      if (polling) duringPoll++; // answered before the poll ended
    }
    const report = await poll;
    await app.stop();

    const ok = statuses.filter((s) => s === 200).length;
    const observed = `${report.newItems} items into ${bigStories} stories; ${ok}/${statuses.length} acks 200, ${duringPoll} answered while the poll ran`;
    const pass = report.newItems === incoming && ok === statuses.length && duringPoll >= 3;
    table.add({
      fault: '`/ai-news help` during a 2,000-item poll into big stories',
      expected: 'every request acked while the poll runs (≥3 during it)',
      observed,
      pass,
    });
    expect(pass, observed).toBe(true);
  } finally {
    await t.close();
    await slack.close();
    await feeds.close();
  }
});
