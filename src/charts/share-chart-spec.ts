import type { UsageShare } from '../share/compute-share.js';
import { pct } from '../share/render-share.js';
import type { ChartSpec } from './chart-spec.js';

const ORIGINS = [
  ['US', 'United States'],
  ['CN', 'China'],
  ['EU', 'Europe'],
  ['other', 'Other'],
  ['unattributed', 'Unattributed'],
] as const;
const OPENNESS = [
  ['open', 'Open weights'],
  ['closed', 'Closed'],
  ['unattributed', 'Unattributed'],
] as const;

/** `share` as a chart: token shares by origin and openness and China's share of open-model tokens. */
export function shareChartSpec(s: UsageShare, days: number): ChartSpec {
  const p = s.previous;
  const row = (label: string, value: number | null, previous: number | null | undefined) => ({
    label,
    value: value ?? 0,
    display: pct(value),
    ...(p ? { previous: previous ?? 0, previousDisplay: pct(previous ?? null) } : {}),
  });
  return {
    title: `Token share on OpenRouter, last ${days} days`,
    subtitle: `${s.from} → ${s.to}${p ? ` against ${p.from} → ${p.to}` : ''}`,
    legend: { current: `last ${days} days`, previous: `previous ${days} days` },
    groups: [
      { heading: 'By origin', max: 1, rows: ORIGINS.map(([k, name]) => row(name, s.byOrigin[k], p?.byOrigin[k])) },
      {
        heading: 'By openness',
        max: 1,
        rows: OPENNESS.map(([k, name]) => row(name, s.byOpenness[k], p?.byOpenness[k])),
      },
      {
        heading: 'Chinese share of open-model tokens',
        max: 1,
        rows: [row('China', s.chinaShareOfOpen, p?.chinaShareOfOpen)],
      },
    ],
    footer: `Top 50 models a day plus an unattributed tail; tokenizers differ across model families. ${s.source}`,
  };
}
