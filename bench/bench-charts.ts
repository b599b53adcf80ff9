import { join } from 'node:path';
import { renderChart } from '../src/charts/render-chart.js';
import { shareChartSpec } from '../src/charts/share-chart-spec.js';
import { trendsChartSpec } from '../src/charts/trends-chart-spec.js';
import { runCommand } from '../src/commands/run-command.js';
import { buildServices } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import type { UsageShare } from '../src/share/compute-share.js';
import type { Trends } from '../src/trends/compute-trends.js';
import { fakeClock } from '../test/helpers/fake-clock.js';
import { rng } from './fixtures.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const AUTHORS = [
  'openai',
  'anthropic',
  'google',
  'deepseek',
  'qwen',
  'moonshotai',
  'mistralai',
  'z-ai',
  'x-ai',
  'meta-llama',
  'minimax',
  'nvidia',
];

/**
 * Chart rendering (SVG built by us, rasterized by Skia with the bundled CJK font): the first render in a
 * process (loads Skia and the font) and the median of later ones; and the `share` command over 90 days of
 * rankings (51 rows a day) with a 400-model list, as a user runs it.
 */
export async function benchCharts(dir: string): Promise<Record<string, number>> {
  const s = await buildServices(loadConfig({ DATABASE_PATH: join(dir, 'charts.sqlite'), OPENROUTER_API_KEY: 'k' }), {
    logger: silentLogger,
    clock: fakeClock('2026-11-29T09:00:00Z'),
  });
  const r = rng(11);
  const models = Array.from({ length: 400 }, (_, i) => {
    const author = AUTHORS[i % AUTHORS.length] as string;
    const id = `${author}/model-${i}`;
    return {
      id,
      name: `Model ${i} 模型`,
      author,
      description: '',
      createdAt: null,
      contextLength: 131072,
      promptPrice: 1,
      completionPrice: 2,
      huggingFaceId: r() < 0.4 ? `org/model-${i}` : null,
      canonicalSlug: `${id}-2026`,
      expirationDate: null,
    };
  });
  await s.modelList.replace(models, [], s.clock.now());
  const rows = [];
  for (let d = 1; d <= 90; d++) {
    const day = new Date(Date.parse('2026-11-29T00:00:00Z') - d * 86_400_000).toISOString().slice(0, 10);
    for (let k = 0; k < 50; k++)
      rows.push({ day, modelPermaslug: `${models[(k * 7 + d) % 400]?.id}-2026`, totalTokens: Math.floor(r() * 1e11) });
    rows.push({ day, modelPermaslug: 'other', totalTokens: 5e11 });
  }
  await s.rankings.store(
    { rows, meta: { asOf: '2026-11-29T06:00:00Z', startDate: '2026-08-31', endDate: '2026-11-28', version: '1' } },
    s.clock.now(),
  );
  const ctx = { services: s, actor: { id: 'bench', isAdmin: async () => true }, surface: 'cli' as const };
  const shareMs: number[] = [];
  let share: UsageShare | undefined;
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const reply = await runCommand(ctx, 'share 30d');
    shareMs.push(performance.now() - t0);
    share = reply.json as UsageShare;
  }
  const share90: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await runCommand(ctx, 'share 90d');
    share90.push(performance.now() - t0);
  }
  const trends = (await runCommand(ctx, 'trends 30d')).json as Trends;
  const t0 = performance.now();
  await renderChart(shareChartSpec(share as UsageShare, 30), 'share.png');
  const first = performance.now() - t0;
  const chartMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t1 = performance.now();
    await renderChart(i % 2 ? shareChartSpec(share as UsageShare, 30) : trendsChartSpec(trends), 'c.png');
    chartMs.push(performance.now() - t1);
  }
  await s.close();
  return {
    chart_first_ms: Math.round(first),
    chart_median_ms: Math.round(median(chartMs) * 10) / 10,
    chart_max_ms: Math.round(Math.max(...chartMs)),
    share_30d_median_ms: Math.round(median(shareMs) * 10) / 10,
    share_90d_median_ms: Math.round(median(share90) * 10) / 10,
    share_max_ms: Math.round(Math.max(...shareMs, ...share90)),
  };
}
