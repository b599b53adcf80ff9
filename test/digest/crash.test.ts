import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/compose.js';
import { silentLogger } from '../../src/core/logger.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { DEFAULT_LEASE_MS } from '../../src/store/claim-repository.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { type FakeMessage, startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, storeConfig, tempDir, testConfig } from '../helpers/test-services.js';

/**
 * Kill -9 at each step of posting a scheduled digest, then restart: the channel must end with exactly
 * one digest (and each part of a multi-message digest exactly once), every time.
 */
const ROOT = join(import.meta.dirname, '../..');
const NOW = '2026-11-29T08:00:05Z';
/** The restart comes after the killed worker's claim on the digest expired: then its work is taken over. */
const RESTART = new Date(Date.parse(NOW) + DEFAULT_LEASE_MS + 1000).toISOString();
let feeds: LocalServer;
const dirs: (() => void)[] = [];
let killPoints = 0;

beforeEach(async () => {
  feeds ??= await startServer({
    '/feed': serve(
      rss([
        {
          title: 'DeepSeek releases DeepSeek-V4 under MIT',
          guid: 'a',
          link: 'https://n.example/a',
          date: 'Sun, 29 Nov 2026 05:00:00 GMT',
          description: 'DeepSeek released V4 today.',
        },
        {
          title: 'Zhipu ships GLM-5.2',
          guid: 'b',
          link: 'https://n.example/b',
          date: 'Sun, 29 Nov 2026 06:00:00 GMT',
          description: 'Zhipu released GLM-5.2 weights.',
        },
      ]),
    ),
  });
});
afterAll(async () => {
  await feeds?.close();
  for (const d of dirs) d();
  console.log(`crash test: ${killPoints} kill points tried, exactly one digest each time`);
});

/** A database (SQLite file, or postgres:// URL) with stories and a channel whose digest is due at NOW. */
async function prepare(): Promise<string> {
  const t = tempDir();
  dirs.push(t.cleanup);
  const config = testConfig(t.dir);
  const clock = fakeClock('2026-11-29T07:00:00Z');
  const s = await buildServices(config, { logger: silentLogger, clock });
  await s.feeds.add({ url: feeds.url('/feed') }, clock.now());
  await runIngest(s);
  await s.channels.subscribe('C1', { digestTime: '08:00', timezone: 'UTC' }, 'test', clock.now());
  await s.close();
  return config.databaseUrl ?? config.databasePath;
}

function worker(database: string, apiUrl: string, at = NOW): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/digest-worker.ts', database, apiUrl, at], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, done };
}

function assertExactlyOnce(messages: FakeMessage[], parts = 1) {
  const digestMessages = messages.filter((m) => m.metadata?.event_type === 'ai_news_digest');
  const keys = digestMessages.map((m) => `${m.metadata?.event_payload.digest_id}:${m.metadata?.event_payload.part}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(digestMessages.filter((m) => !m.thread_ts)).toHaveLength(1);
  expect(digestMessages).toHaveLength(parts);
}

async function killAndRestart(
  arm: (slack: Awaited<ReturnType<typeof startFakeSlack>>, kill: () => void) => void,
  parts = 1,
  preclaim?: (db: string) => Promise<void>,
) {
  const database = await prepare();
  if (preclaim) await preclaim(database);
  let first: ReturnType<typeof worker> | undefined;
  const slack = await startFakeSlack({ onAccept: () => {} });
  const kill = () => first?.child.kill('SIGKILL');
  arm(slack, kill);
  first = worker(database, slack.apiUrl);
  await first.done;
  slack.releaseHeld();
  killPoints++;
  const second = worker(database, slack.apiUrl, RESTART);
  expect(await second.done).toBe(0);
  assertExactlyOnce(slack.messages, parts);
  await slack.close();
}

describe('kill -9 during a scheduled digest, then restart', () => {
  it.each([50, 200, 400, 700])('at %i ms after start', async (ms) => {
    await killAndRestart((_slack, kill) => {
      setTimeout(kill, ms);
    });
  });

  it('after claiming the digest, before Slack received the post', async () => {
    await killAndRestart((slack, kill) => {
      slack.fault('chat.postMessage', { kind: 'hang' });
      const timer = setInterval(() => {
        if (slack.calls.some((c) => c.method === 'chat.postMessage')) {
          clearInterval(timer);
          kill();
        }
      }, 5);
    });
  });

  it('after Slack accepted the post, before the answer arrived', async () => {
    await killAndRestart((slack, kill) => {
      slack.fault('chat.postMessage', { kind: 'accept-then-hang' });
      const timer = setInterval(() => {
        if (slack.messages.length > 0) {
          clearInterval(timer);
          kill();
        }
      }, 5);
    });
  });

  it('right after Slack answered, before the record was written', async () => {
    await killAndRestart((slack, kill) => {
      const timer = setInterval(() => {
        if (slack.messages.length > 0) {
          clearInterval(timer);
          kill();
        }
      }, 1);
    });
  });

  it('after the digest was fully posted', async () => {
    await killAndRestart(() => {});
  });

  it('between the parts of a digest that continues in a thread', async () => {
    const messages = Array.from({ length: 3 }, (_, i) => ({ text: `part ${i}`, blocks: [] }));
    await killAndRestart(
      (slack, kill) => {
        slack.fault('chat.postMessage', { kind: 'accept-then-hang' }); // part 0 gets through, but its answer is lost…
        slack.fault('chat.postMessage', { kind: 'accept-then-hang' });
        const timer = setInterval(() => {
          if (slack.messages.length >= 1) {
            clearInterval(timer);
            kill();
          }
        }, 5);
      },
      3,
      async (db) => {
        const s = await buildServices(storeConfig(db), { logger: silentLogger, clock: fakeClock(NOW) });
        await s.digests.claim(
          {
            channelId: 'C1',
            windowKey: '2026-11-29',
            from: new Date('2026-11-28T08:00:00Z'),
            to: new Date(NOW),
            storyIds: [],
            tokens: 0,
            messages,
          },
          new Date(NOW),
        );
        await s.close();
      },
    );
    // The restarted worker waits out its Slack client's timeout (5 s in the worker) on the hung part-1 post
    // before it looks for it in the thread.
  }, 40_000);
});
