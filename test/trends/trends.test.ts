import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { silentLogger } from '../../src/core/logger.js';
import { bar, sparkline } from '../../src/trends/render-trends.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, tempDir } from '../helpers/test-services.js';

const day = (d: number) => new Date(Date.UTC(2026, 10, d, 9)).toUTCString();
// Previous window (Nov 15–21): three stories; current window (Nov 22–28): five.
const ITEMS = [
  { title: 'OpenAI ships GPT-5.4 to everyone', date: day(16) },
  { title: 'Anthropic releases Claude Opus 4.6', date: day(17) },
  { title: 'Alibaba open-sources Qwen3.5', date: day(18) },
  { title: 'DeepSeek releases DeepSeek-V4 under MIT', date: day(23) },
  { title: 'DeepSeek-R2 reasoning model arrives', date: day(24) },
  { title: 'Alibaba ships Qwen3.6 with open weights', date: day(25) },
  { title: 'OpenAI launches GPT-5.5', date: day(26) },
  { title: 'Mistral AI unveils Mistral Large 3', date: day(27) },
].map((i, n) => ({ ...i, guid: `t${n}`, link: `https://news.example/${n}` }));

let server: LocalServer;
let t: ReturnType<typeof tempDir>;
const clock = fakeClock('2026-11-29T00:00:00Z');

async function cli(...argv: string[]) {
  let out = '';
  const env = { DATABASE_PATH: join(t.dir, 't.sqlite'), ALLOW_PRIVATE_FEED_URLS: 'true' };
  await runCli(argv, { out: (s) => (out += s), err: (s) => (out += s) }, env, { logger: silentLogger, clock });
  return out;
}

beforeAll(async () => {
  server = await startServer({ '/feed': serve(rss(ITEMS)) });
  t = tempDir();
  await cli('feeds', 'add', server.url('/feed'));
  await cli('poll', '--all');
});
afterAll(async () => {
  await server.close();
  t.cleanup();
});

describe('trends', () => {
  it('computes shares by lab, origin and openness against the previous window (--json)', async () => {
    const r = JSON.parse(await cli('trends', '7d', '--json'));
    expect(r).toMatchObject({ days: 7, stories: 5, previousStories: 3 });
    const share = (rows: { key: string; share: number }[], key: string) =>
      Math.round((rows.find((x) => x.key === key)?.share ?? 0) * 1000) / 10;
    const change = (rows: { key: string; change: number }[], key: string) => rows.find((x) => x.key === key)?.change;
    expect(share(r.labs, 'deepseek')).toBe(40);
    expect(share(r.labs, 'alibaba')).toBe(20);
    expect(share(r.labs, 'openai')).toBe(20);
    expect(change(r.labs, 'openai')).toBe(-13.3); // 1 of 3 before, 1 of 5 now
    expect(share(r.origins, 'CN')).toBe(60);
    expect(change(r.origins, 'CN')).toBe(26.7);
    expect(share(r.origins, 'US')).toBe(20);
    expect(share(r.origins, 'EU')).toBe(20);
    expect(share(r.openness, 'open-source')).toBe(40);
    expect(r.rising[0]).toMatchObject({ key: 'deepseek', change: 40 });
    expect(r.labs.find((x: { key: string }) => x.key === 'deepseek').daily).toEqual([0, 1, 1, 0, 0, 0, 0]);
    expect(r.measure).toMatch(/coverage, not usage/);
  });

  it('renders as text with bars, arrows, sparklines and what is measured', async () => {
    const text = await cli('trends');
    expect(text).toMatch(/last 7 days .*: 5 stories \(previous 7 days: 3\)/);
    expect(text).toMatch(/By origin\n {2}China +█{7}[▏▎]? +60% {2}▲ 27 pts\n/);
    expect(text).toMatch(/DeepSeek .*40% {2}new/);
    expect(text).toMatch(/Rising fastest: DeepSeek \(\+40 pts\)/);
    expect(text).toMatch(/coverage, not usage/);
  });

  it('accepts 30d and refuses other windows', async () => {
    expect(JSON.parse(await cli('trends', '30d', '--json'))).toMatchObject({ days: 30, stories: 8 });
    expect(await cli('trends', '5d')).toMatch(/Use a window of/);
  });
});

describe('bar and sparkline', () => {
  it.each([
    [0, ''],
    [0.5, '██████'],
    [1, '████████████'],
    [1 / 96, '▏'],
  ])('bar(%s)', (share, expected) => {
    expect(bar(share).trimEnd()).toBe(expected);
    expect(bar(share)).toHaveLength(12);
  });
  it('sparkline scales to the maximum', () => {
    expect(sparkline([0, 1, 2, 4])).toBe('▁▃▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
  });
});
