import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHART_FONT } from '../../src/charts/bar-chart-svg.js';
import { rasterizeSvg } from '../../src/charts/rasterize-svg.js';
import { renderChart } from '../../src/charts/render-chart.js';
import { runCli } from '../../src/cli/run-cli.js';
import { silentLogger } from '../../src/core/logger.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { listedModel, startFakeOpenRouter } from '../helpers/fake-openrouter.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { ink, pngPixels, pngSize } from '../helpers/png.js';
import { rss, tempDir } from '../helpers/test-services.js';

const KEY = 'sk-or-chart';
let or: Awaited<ReturnType<typeof startFakeOpenRouter>>;
let feeds: LocalServer;
let t: ReturnType<typeof tempDir>;
const clock = fakeClock('2026-11-20T08:00:00Z');

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const env = {
    DATABASE_PATH: join(t.dir, 'c.sqlite'),
    ALLOW_PRIVATE_FEED_URLS: 'true',
    OPENROUTER_MODELS_URL: or.modelsUrl,
    OPENROUTER_RANKINGS_URL: or.rankingsUrl,
    OPENROUTER_API_KEY: KEY,
  };
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) }, env, {
    logger: silentLogger,
    clock,
  });
  return { code, out, err };
}
const pct = (f: number) => `${(f * 100).toFixed(1)}%`;

beforeEach(async () => {
  clock.set('2026-11-20T08:00:00Z');
  t = tempDir();
  or = await startFakeOpenRouter({ key: KEY });
  feeds = await startServer({
    '/news': serve(
      rss([
        {
          title: 'DeepSeek releases V4 with open weights',
          link: 'https://e.com/1',
          date: 'Thu, 19 Nov 2026 08:00:00 GMT',
        },
        { title: 'OpenAI ships GPT-5.5 to the API', link: 'https://e.com/2', date: 'Wed, 18 Nov 2026 08:00:00 GMT' },
        { title: 'Qwen 3.6 open-weight models arrive', link: 'https://e.com/3', date: 'Tue, 17 Nov 2026 08:00:00 GMT' },
      ]),
    ),
  });
});
afterEach(async () => {
  await or.close();
  await feeds.close();
  t.cleanup();
});

describe('charts', () => {
  it('trends, share and models write valid PNGs whose alt text carries the numbers of the JSON', async () => {
    or.state.models = [listedModel('deepseek/deepseek-v4', 'DeepSeek: V4', { hf: 'deepseek-ai/DeepSeek-V4' })];
    or.state.rankings = ['2026-11-17', '2026-11-18', '2026-11-19'].flatMap((date) => [
      { date, model_permaslug: 'deepseek/deepseek-v4', total_tokens: '600' },
      { date, model_permaslug: 'openai/gpt-5', total_tokens: '300' },
      { date, model_permaslug: 'other', total_tokens: '100' },
    ]);
    expect((await cli('feeds', 'add', feeds.url('/news'))).code).toBe(0);
    expect((await cli('poll')).code).toBe(0);
    or.state.models = [...or.state.models, listedModel('qwen/qwen3.6-plus', 'Qwen: Qwen3.6 Plus')];
    clock.advance(3600_000);
    await cli('poll', '--all');

    for (const [command, file] of [
      ['trends', 't.png'],
      ['share', 's.png'],
      ['models', 'm.png'],
    ] as const) {
      const path = join(t.dir, file);
      const r = await cli(command, '30d', '--chart', path, '--json');
      expect(r.code).toBe(0);
      const png = readFileSync(path);
      const size = pngSize(png);
      expect(size.width).toBe(800);
      expect(size.height).toBeGreaterThan(150);
      expect(ink(await pngPixels(png))).toBeGreaterThan(2000);
      const json = JSON.parse(r.out);
      const alt = /Alt text: (.*)\n/.exec(r.err)?.[1] ?? '';
      if (command === 'trends') {
        const shown = json.origins.filter((o: { stories: number }) => o.stories > 0);
        expect(shown.length).toBeGreaterThan(1);
        for (const o of shown)
          expect(alt).toContain(`${o.name} ${pct(o.share)} (previous 30 days: ${pct(o.previousShare)})`);
        for (const l of json.labs.slice(0, 3)) expect(alt).toContain(`${l.name} ${pct(l.share)}`);
      } else if (command === 'share') {
        expect(json.byOrigin.CN).toBeCloseTo(0.6);
        expect(alt).toContain(`China ${pct(json.byOrigin.CN)}`);
        expect(alt).toContain(`United States ${pct(json.byOrigin.US)}`);
        expect(alt).toContain(`Unattributed ${pct(json.byOrigin.unattributed)}`);
        expect(alt).toContain(`Open weights ${pct(json.byOpenness.open)}`);
        expect(alt).toContain(`Chinese share of open-model tokens: China ${pct(json.chinaShareOfOpen)}`);
        expect(alt).toContain(json.source);
      } else {
        expect(json.groups).toEqual([{ origin: 'CN', openness: 'closed', count: 1, models: ['qwen/qwen3.6-plus'] }]);
        expect(alt).toContain('Releases by origin and openness: China · closed 1.');
        expect(alt).toContain('Model-list changes by kind: new 1.');
      }
    }
    // A chart asked for without a file on the command line is refused with the fix.
    const bare = await cli('trends', 'chart');
    expect(bare.code).toBe(1);
    expect(bare.err).toMatch(/--chart <file\.png>/);
  });

  it('renders CJK names with real glyphs from the bundled font, not empty boxes', async () => {
    const draw = (label: string) =>
      rasterizeSvg(
        `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60"><text x="10" y="40" font-family="${CHART_FONT}" font-size="28">${label}</text></svg>`,
        240,
        60,
      ).then(pngPixels);
    const [deepseek, moonshot, tofu, empty] = await Promise.all([
      draw('深度求索'),
      draw('月之暗面'),
      draw('\uE000\uE001\uE002\uE003'), // private-use code points: no font has a glyph, only .notdef boxes
      draw(''),
    ]);
    expect(ink(empty)).toBe(0);
    expect(ink(deepseek)).toBeGreaterThan(300);
    // Missing glyphs would all draw as the same box: real glyphs differ from each other and from the box.
    expect(Buffer.from(deepseek).equals(Buffer.from(moonshot))).toBe(false);
    expect(Buffer.from(deepseek).equals(Buffer.from(tofu))).toBe(false);
    expect(Math.abs(ink(deepseek) - ink(tofu))).toBeGreaterThan(50);
  });

  it('gives every chart alt text with its numbers, within Slack’s limit', async () => {
    const chart = await renderChart(
      {
        title: 'Test',
        groups: [
          {
            heading: 'By lab',
            rows: [{ label: '智谱 Zhipu', value: 0.25, display: '25.0%', previous: 0.1, previousDisplay: '10.0%' }],
          },
        ],
        legend: { current: 'now', previous: 'before' },
      },
      'x.png',
    );
    expect(chart.altText).toBe('Test. By lab: 智谱 Zhipu 25.0% (before: 10.0%).');
    expect(pngSize(chart.png)).toEqual({ width: chart.width, height: chart.height });
  });
});
