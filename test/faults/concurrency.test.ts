import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildServices, type Services } from '../../src/compose.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type FakeMessage, startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, type Route, serve, startServer } from '../helpers/feed-server.js';
import { runProcess, startServeProcess } from '../helpers/serve-process.js';
import { labFeed, tempDir, testConfig } from '../helpers/test-services.js';
import { faultTable } from './fault-table.js';

/**
 * Concurrency faults, through real processes on one SQLite file: two polls at once, several servers
 * starting together with a digest due, a CLI writing while the server catches up, and a process killed
 * while it holds work. Each must do every piece of work once and lose none.
 */
const table = faultTable();
afterAll(() => table.print('Concurrency faults'));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * A store with feeds at `paths` of `server` (and, when given, a channel whose digest is due now): `store`
 * is the environment that points a process at it (a SQLite file, or a PostgreSQL schema), `path` the
 * argument a worker takes (the file, or the postgres:// URL).
 */
async function prepare(
  server: LocalServer,
  paths: string[],
  digestDue = false,
): Promise<{ path: string; store: Record<string, string>; s: Services }> {
  const t = tempDir();
  const config = testConfig(t.dir);
  const s = await buildServices(config, { logger: silentLogger, clock: systemClock });
  cleanups.push(async () => {
    await s.close();
    t.cleanup();
  });
  for (const p of paths) await s.feeds.add({ url: server.url(p) }, systemClock.now());
  if (digestDue) {
    const at = new Date(Date.now() - 5 * 60_000).toISOString().slice(11, 16); // five minutes ago, UTC
    await s.channels.subscribe('C1', { digestTime: at, timezone: 'UTC' }, 'test', systemClock.now());
  }
  const store: Record<string, string> = config.databaseUrl
    ? { DATABASE_URL: config.databaseUrl, DATABASE_PATH: config.databasePath }
    : { DATABASE_PATH: config.databasePath };
  return { path: config.databaseUrl ?? config.databasePath, store, s };
}

/** Fetches per feed path, counted by the loopback server. */
function fetchCounts(server: LocalServer, paths: string[]): number[] {
  return paths.map((p) => server.requests.filter((r) => r.path === p).length);
}

function run(args: string[], env: Record<string, string>) {
  return runProcess(args, env, (kill) => cleanups.push(kill));
}

/** An `ai-news serve` process on the store; `caughtUp` resolves once its start-up catch-up is done. */
function startServe(store: Record<string, string>, apiUrl: string) {
  return startServeProcess(
    {
      ...store,
      SLACK_BOT_TOKEN: 'xoxb-concurrency',
      FEEDS_FILE: join(store.DATABASE_PATH as string, '..', 'none.opml'),
    },
    apiUrl,
    (kill) => cleanups.push(kill),
  );
}

function digestMessages(messages: FakeMessage[]) {
  const digest = messages.filter((m) => m.metadata?.event_type === 'ai_news_digest');
  const parts = digest.map((m) => `${m.metadata?.event_payload.digest_id}:${m.metadata?.event_payload.part}`);
  return { topLevel: digest.filter((m) => !m.thread_ts).length, parts: parts.length, distinct: new Set(parts).size };
}

async function count(s: Services, sql: string): Promise<number> {
  return (await s.sql.get<{ n: number }>(sql))?.n ?? 0;
}

describe('concurrency faults', () => {
  it('two `poll` runs at once: both succeed, each feed is fetched once, nothing stored twice', async () => {
    const paths = Array.from({ length: 8 }, (_, i) => `/feed${i}`);
    // The first two fetches are held until both are waiting: with one fetch at a time per process,
    // that proves the two runs were polling at the same moment.
    let waiting: (() => void)[] = [];
    let overlapped = false;
    const routes: Record<string, Route> = {};
    for (const [i, p] of paths.entries())
      routes[p] = async (req, res) => {
        if (!overlapped) {
          await new Promise<void>((release) => {
            waiting.push(release);
            if (waiting.length >= 2) {
              overlapped = true;
              for (const r of waiting) r();
              waiting = [];
            }
          });
        }
        await new Promise((r) => setTimeout(r, 40)); // keep the runs interleaved
        await serve(labFeed(i, 120))(req, res);
      };
    const server = await startServer(routes);
    cleanups.push(() => server.close());
    const { store, s } = await prepare(server, paths);
    const env = { ...store, POLL_CONCURRENCY: '1', POLL_PER_HOST_CONCURRENCY: '1' };
    const [a, b] = await Promise.all([
      run(['src/cli/index.ts', 'poll', '--json'], env).out,
      run(['src/cli/index.ts', 'poll', '--json'], env).out,
    ]);
    const reports = [a, b].map((o) => (o.code === 0 ? (JSON.parse(o.stdout) as { feeds: { url: string }[] }) : null));
    const polled = reports.flatMap((r) => r?.feeds.map((f) => new URL(f.url).pathname) ?? []);
    const fetched = fetchCounts(server, paths);
    const items = await count(s, 'SELECT count(*) AS n FROM items');
    const unplaced = await count(s, 'SELECT count(*) AS n FROM cluster_queue');
    const locked = /database is locked/.test(a.stderr + a.stdout + b.stderr + b.stdout);
    const observed = `exit ${a.code}/${b.code}; overlapped ${overlapped}; fetches ${fetched.join(',')}; polled ${polled.length}; items ${items}; unplaced ${unplaced}${locked ? '; LOCKED' : ''}`;
    const pass =
      a.code === 0 &&
      b.code === 0 &&
      overlapped &&
      fetched.every((n) => n === 1) &&
      polled.length === paths.length &&
      new Set(polled).size === paths.length &&
      items === paths.length * 120 &&
      unplaced === 0 &&
      !locked;
    table.add({
      fault: 'two `poll` CLI runs at once on one database',
      expected: 'both exit 0; each feed fetched once; all items stored once, all placed',
      observed,
      pass,
    });
    expect(pass, `${observed}\n${a.stderr}\n${b.stderr}`).toBe(true);
  }, 60_000);

  it('three `serve` processes start together with a digest due: one digest, each feed fetched once', async () => {
    const paths = ['/a', '/b', '/c', '/d'];
    const routes: Record<string, Route> = {};
    for (const [i, p] of paths.entries()) routes[p] = serve(labFeed(i, 30));
    const server = await startServer(routes);
    cleanups.push(() => server.close());
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    // The first post is rate limited for 3 s: the digest stays pending while the other servers look for work.
    slack.fault('chat.postMessage', { kind: 'status', status: 429, headers: { 'retry-after': '3' } });
    const { store, s } = await prepare(server, paths, true);
    const serves = [0, 1, 2].map(() => startServe(store, slack.apiUrl));
    const logs = await Promise.all(serves.map((x) => x.caughtUp));
    const fetched = fetchCounts(server, paths);
    const digest = digestMessages(slack.messages);
    const records = await count(s, "SELECT count(*) AS n FROM digests WHERE status = 'posted'");
    const failed = logs.some((l) => /catch-up failed|start-up poll failed|database is locked/.test(l));
    const observed = `fetches ${fetched.join(',')}; digests ${digest.topLevel} (parts ${digest.parts}, distinct ${digest.distinct}); records ${records}${failed ? '; a catch-up FAILED' : ''}`;
    const pass =
      fetched.every((n) => n === 1) &&
      digest.topLevel === 1 &&
      digest.parts === digest.distinct &&
      records === 1 &&
      !failed;
    table.add({
      fault: 'three `serve` processes start at once, digest due',
      expected: 'one digest (each part once); each feed fetched once',
      observed,
      pass,
    });
    expect(pass, `${observed}\n${logs.join('\n')}`).toBe(true);
  }, 60_000);

  it('`feeds add` from the CLI while `serve` catches up: both succeed, the digest catch-up runs', async () => {
    const paths = ['/a', '/b', '/c', '/d', '/e', '/f'];
    let firstFetch: () => void = () => {};
    const started = new Promise<void>((r) => {
      firstFetch = r;
    });
    const routes: Record<string, Route> = {};
    for (const [i, p] of paths.entries())
      routes[p] = async (req, res) => {
        firstFetch();
        await new Promise((r) => setTimeout(r, 150)); // a catch-up long enough to overlap the CLI
        await serve(labFeed(i, 150))(req, res);
      };
    routes['/new'] = serve(labFeed(9, 300));
    const server = await startServer(routes);
    cleanups.push(() => server.close());
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    const { store, s } = await prepare(server, paths, true);
    const server1 = startServe(store, slack.apiUrl);
    await started;
    const add = await run(['src/cli/index.ts', 'feeds', 'add', server.url('/new')], store).out;
    const log = await server1.caughtUp;
    const fetched = fetchCounts(server, [...paths, '/new']);
    const digest = digestMessages(slack.messages);
    const failed = /catch-up failed|start-up poll failed|database is locked/.test(log + add.stderr);
    const observed = `feeds add exit ${add.code}; fetches ${fetched.join(',')}; digests ${digest.topLevel}; items ${await count(s, 'SELECT count(*) AS n FROM items')}${failed ? '; FAILED' : ''}`;
    const pass =
      add.code === 0 &&
      fetched.every((n) => n === 1) &&
      digest.topLevel === 1 &&
      (await count(s, 'SELECT count(*) AS n FROM items')) === 6 * 150 + 300 &&
      !failed;
    table.add({
      fault: '`feeds add` (CLI) during `serve` start-up catch-up',
      expected: 'feed added; catch-up polls every feed and posts the due digest',
      observed,
      pass,
    });
    expect(pass, `${observed}\n${add.stdout}${add.stderr}\n${log}`).toBe(true);
  }, 60_000);

  it('a process killed while polling a feed: its claim is refused until the lease ends, then the feed is polled', async () => {
    let answer = false;
    const server = await startServer({
      '/slow': (req, res) => {
        if (answer) return serve(labFeed(1, 5))(req, res);
        // Never answers: the first poller is killed while it waits.
      },
    });
    cleanups.push(() => server.close());
    const { path, s } = await prepare(server, ['/slow']);
    const leaseMs = 1500;
    const worker = run(['test/helpers/poll-worker.ts', path, String(leaseMs)], {});
    while (fetchCounts(server, ['/slow'])[0] === 0) await new Promise((r) => setTimeout(r, 10));
    worker.child.kill('SIGKILL');
    await worker.out;
    const held = await s.claims.holder('feed:1');
    // Another process (this one) while the dead owner's lease is live: left alone.
    const during = await runIngest(s);
    // After the lease: taken over and polled.
    const wait = Date.parse(held?.expiresAt ?? '') - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait + 20));
    answer = true;
    const after = await runIngest(s);
    const observed = `claim held by the killed worker: ${held ? 'yes' : 'no'}; during lease: polled ${during.feeds.length}, left ${during.polledElsewhere}; after: ${after.feeds[0]?.status ?? 'none'}, ${after.newItems} new; fetches ${fetchCounts(server, ['/slow'])[0]}`;
    const pass =
      held !== undefined &&
      held.owner !== s.claims.owner &&
      during.feeds.length === 0 &&
      during.polledElsewhere === 1 &&
      after.feeds[0]?.status === 'ok' &&
      after.newItems === 5 &&
      fetchCounts(server, ['/slow'])[0] === 2 &&
      (await s.claims.holder('feed:1')) === undefined;
    table.add({
      fault: 'poller killed (SIGKILL) holding a feed',
      expected: 'feed left alone during the lease, polled after it; claim released',
      observed,
      pass,
    });
    expect(pass, observed).toBe(true);
  }, 30_000);
});
