import type { TrendRow, Trends } from '../trends/compute-trends.js';
import type { ChartSpec } from './chart-spec.js';

const pct = (f: number) => `${(f * 100).toFixed(1)}%`;

/** The rows a trends chart draws: those with stories in either window, at most `limit`. */
export function trendRowsCharted(list: TrendRow[], limit: number): TrendRow[] {
  return list.filter((r) => r.stories > 0 || r.previousStories > 0).slice(0, limit);
}

/** `trends` as a chart: shares of coverage by origin, openness and lab, this window against the previous. */
export function trendsChartSpec(t: Trends): ChartSpec {
  const rows = (list: TrendRow[], limit: number) =>
    trendRowsCharted(list, limit).map((r) => ({
      label: r.name,
      value: r.share,
      display: pct(r.share),
      previous: r.previousShare,
      previousDisplay: pct(r.previousShare),
    }));
  return {
    title: `AI news coverage, last ${t.days} days`,
    subtitle: `${t.from.slice(0, 10)} → ${t.to.slice(0, 10)}: ${t.stories} stories (previous ${t.days} days: ${t.previousStories})`,
    legend: { current: `last ${t.days} days`, previous: `previous ${t.days} days` },
    groups: [
      { heading: 'By origin', rows: rows(t.origins, 5), max: 1 },
      { heading: 'By openness', rows: rows(t.openness, 4), max: 1 },
      { heading: 'Labs (top 10)', rows: rows(t.labs, 10) },
    ],
    footer: t.measure,
  };
}
