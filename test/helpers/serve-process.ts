import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { OFFLINE_SOURCES } from './test-services.js';

const ROOT = join(import.meta.dirname, '../..');

export interface ProcessOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A real `ai-news` process (tsx on the sources) with a clean environment: loopback feeds allowed, the
 * built-in sources off, `env` on top. `onSpawn` receives a kill function for the caller's cleanup list.
 */
export function runProcess(
  args: string[],
  env: Record<string, string>,
  onSpawn: (kill: () => void) => void = () => {},
): { child: ChildProcess; out: Promise<ProcessOutput> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ALLOW_PRIVATE_FEED_URLS: 'true',
      LOG_LEVEL: 'info',
      ...OFFLINE_SOURCES,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  onSpawn(() => void child.kill('SIGKILL'));
  const out = new Promise<ProcessOutput>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : null), stdout, stderr })),
  );
  return { child, out };
}

/**
 * An `ai-news serve` process in HTTP mode against a fake Slack: `port` resolves once it serves,
 * `caughtUp` once its start-up catch-up (poll, then due digests) is done, with what it logged.
 */
export function startServeProcess(env: Record<string, string>, apiUrl: string, onSpawn?: (kill: () => void) => void) {
  const p = runProcess(
    ['src/cli/index.ts', 'serve'],
    {
      SLACK_BOT_TOKEN: 'xoxb-serve',
      SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
      SLACK_API_URL: apiUrl,
      PORT: '0',
      ...env,
    },
    onSpawn,
  );
  let log = '';
  let portSeen: (port: number) => void = () => {};
  const port = new Promise<number>((r) => {
    portSeen = r;
  });
  const caughtUp = new Promise<string>((resolve, reject) => {
    p.child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /"msg":"ai-news: serving","port":(\d+)/.exec(log);
      if (m) portSeen(Number(m[1]));
      if (log.includes('"msg":"ai-news: start-up catch-up done"')) resolve(log);
    });
    p.child.on('exit', () => reject(new Error(`serve exited early: ${log}`)));
  });
  caughtUp.catch(() => undefined);
  return { ...p, port, caughtUp, log: () => log };
}
