import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, stopOnSignals } from '../../src/main.js';
import { checkHealth } from '../../src/ops/check-health.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { commandBody, SIGNING_SECRET, signedPost } from '../helpers/signed-request.js';
import { tempDir, testServices } from '../helpers/test-services.js';

const ROOT = join(import.meta.dirname, '../..');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Runs `ai-news serve` as a real process against the fake Slack API; resolves with its port. */
async function serve(): Promise<{
  child: ChildProcess;
  port: number;
  exit: Promise<number | null>;
  slack: Awaited<ReturnType<typeof startFakeSlack>>;
}> {
  const slack = await startFakeSlack();
  const t = tempDir();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_PATH: join(t.dir, 'serve.sqlite'),
      SLACK_BOT_TOKEN: 'xoxb-serve-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      FEEDS_FILE: join(t.dir, 'none.opml'),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? 128 : null))));
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await slack.close();
    t.cleanup();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /"msg":"ai-news: serving","port":(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`serve exited early: ${err}`)));
  });
  return { child, port, exit, slack };
}

describe('ai-news serve', () => {
  it('serves /slack/events, /healthz and /metrics on one port, and stops cleanly on SIGTERM', async () => {
    const { child, port, exit } = await serve();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, database: 'writable', schedulerRunning: true });
    const help = await signedPost(
      `http://127.0.0.1:${port}/slack/events`,
      commandBody('help', { responseUrl: 'http://127.0.0.1:9/x' }),
      'application/x-www-form-urlencoded',
    );
    expect(help.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('ai_news_command_duration_seconds_count{command="help",surface="slack"} 1');
    expect(metrics).toContain('# TYPE ai_news_feed_errors_total counter');
    // Without MCP_TOKEN there is no /mcp at all.
    expect((await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', body: '{}' })).status).toBe(404);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 30_000);

  it('refuses to start with a bad setting, naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: 'eighty', DATABASE_PATH: '/tmp/x.sqlite' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(err).toMatch(/PORT: must be a whole number/);
  });
});

describe('stopOnSignals', () => {
  it('stops gracefully on the first signal and exits at once on the second', async () => {
    let stopping = 0;
    const exits: number[] = [];
    const never: RunningServer = { port: 0, stop: () => new Promise(() => stopping++) };
    const before = { term: process.listeners('SIGTERM'), int: process.listeners('SIGINT') };
    stopOnSignals(never, (code) => exits.push(code));
    try {
      process.emit('SIGTERM');
      expect(stopping).toBe(1);
      expect(exits).toEqual([]);
      process.emit('SIGINT');
      expect(exits).toEqual([130]);
    } finally {
      for (const l of process.listeners('SIGTERM')) if (!before.term.includes(l)) process.off('SIGTERM', l);
      for (const l of process.listeners('SIGINT')) if (!before.int.includes(l)) process.off('SIGINT', l);
    }
  });
});

describe('checkHealth', () => {
  it('is unhealthy when the database cannot be written, the scheduler is down, or polls stopped', async () => {
    const t = await testServices();
    const started = new Date(t.clock.now().getTime() - 3600_000);
    expect(
      (await checkHealth(t.services, { schedulerRunning: true, startedAt: t.clock.now(), pollEveryMs: 300_000 })).ok,
    ).toBe(true);
    const stale = await checkHealth(t.services, { schedulerRunning: false, startedAt: started, pollEveryMs: 300_000 });
    expect(stale.ok).toBe(false);
    expect(stale.problems).toEqual(['no poll has finished recently', 'the scheduler is not running']);
    await t.services.sql.close(); // the database goes away under the running service
    expect(
      (await checkHealth(t.services, { schedulerRunning: true, startedAt: t.clock.now(), pollEveryMs: 300_000 }))
        .database,
    ).toMatch(/not writable/);
    await t.close();
  });
});
