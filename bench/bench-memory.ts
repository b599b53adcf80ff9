import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { diverseItems, rssDocument } from './fixtures.js';

const ROOT = join(import.meta.dirname, '..');

/**
 * Peak memory of one ingest cycle of 100,000 items (1,000 feeds × 100, about 300 KB each), measured in a
 * fresh process, without any heap flag (the heap tuning the entry points apply) and with production's
 * `--max-old-space-size=192`.
 */
export async function benchMemory(dir: string): Promise<Record<string, number>> {
  const free = await ingestOnce(dir, 0);
  const capped = await ingestOnce(dir, 192);
  return {
    items: free.items as number,
    stories: free.stories as number,
    maxRssMB_noFlag: free.maxRssMB as number,
    maxRssMB_heap192: capped.maxRssMB as number,
    ingestMs_noFlag: free.ingestMs as number,
    ingestMs_heap192: capped.ingestMs as number,
    cpuMs_noFlag: free.cpuMs as number,
    cpuMs_heap192: capped.cpuMs as number,
    baselineRssMB: free.baselineRssMB as number,
  };
}

async function ingestOnce(dir: string, heapMB: number): Promise<Record<string, number>> {
  const feeds = 1000;
  const perFeed = 100;
  const server = createServer((req, res) => {
    const i = Number(req.url?.slice(1));
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssDocument(diverseItems(perFeed, 100 + i, i * perFeed), `Feed ${i}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const args = [
    ...(heapMB ? [`--max-old-space-size=${heapMB}`] : []),
    'bench/memory-child.mjs',
    join(dir, `memory-${heapMB}.sqlite`),
    `http://127.0.0.1:${port}`,
    String(feeds),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await new Promise((r) => child.on('exit', r));
  server.close();
  return JSON.parse(out) as Record<string, number>;
}

/** Time from process start until the compiled `ai-news serve` answers /healthz (Slack API faked on loopback). */
export async function benchStartup(dir: string): Promise<Record<string, number>> {
  const { startFakeSlack } = await import('../test/helpers/fake-slack.js');
  const slack = await startFakeSlack();
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const child = spawn(process.execPath, ['dist/cli/index.js', 'serve'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_PATH: join(dir, `startup-${i}.sqlite`),
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        FEEDS_FILE: 'feeds/default.opml',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const port = await new Promise<number>((resolve) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /"msg":"ai-news: serving","port":(\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
    });
    while ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status !== 200)
      await new Promise((r) => setTimeout(r, 5));
    runs.push(performance.now() - started);
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
  await slack.close();
  runs.sort((a, b) => a - b);
  return { runs: runs.length, medianMs: runs[1] as number, minMs: runs[0] as number };
}
