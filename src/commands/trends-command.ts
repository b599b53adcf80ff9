import { renderChart } from '../charts/render-chart.js';
import { trendsChartSpec } from '../charts/trends-chart-spec.js';
import { AppError } from '../core/errors.js';
import { computeTrends } from '../trends/compute-trends.js';
import { renderTrendsText } from '../trends/render-trends.js';
import { takeChartOption } from './chart-option.js';
import { teamOf } from './command-team.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** Reads "7d" / "30d" (or "7"/"30") from the words; defaults to 7 days. */
export function windowDays(p: ParsedArgs, allowed = [1, 7, 14, 30, 90]): number {
  const word = p.args.find((a) => /^\d+d?$/i.test(a));
  if (!word) return 7;
  const n = Number.parseInt(word, 10);
  if (!allowed.includes(n)) throw new AppError('usage', `Use a window of ${allowed.map((d) => `${d}d`).join(', ')}`);
  return n;
}

/** `trends [7d|30d] [chart]`: the ecosystem pulse by lab, origin and openness against the previous window. */
export async function trendsCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const s = ctx.services;
  const chart = takeChartOption(p);
  const days = windowDays({ ...p, args: chart.args });
  const t = await computeTrends(
    s.entities,
    s.clock.now(),
    days,
    async (from, to) => await s.stories.publishedBetween(from, to, teamOf(ctx)),
  );
  const text = renderTrendsText(t);
  return {
    text: ctx.surface === 'slack' ? `\`\`\`${text}\`\`\`` : text,
    json: t,
    ...(chart.wanted ? { chart: await renderChart(trendsChartSpec(t), `trends-${days}d.png`) } : {}),
  };
}
