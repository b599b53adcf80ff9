import type { ChartSpec } from './chart-spec.js';

/** `models` as a chart: releases by origin and openness, and model-list changes by kind, in the window. */
export function modelsChartSpec(
  days: number,
  groups: { label: string; count: number }[],
  changes: { kind: string; count: number }[],
): ChartSpec {
  const bars = (list: { label: string; count: number }[]) =>
    list.map((g) => ({ label: g.label, value: g.count, display: String(g.count) }));
  return {
    title: `Models tracked, last ${days} days`,
    subtitle: 'New listings in OpenRouter’s model list (a listing date, not always the launch date)',
    groups: [
      { heading: 'Releases by origin and openness', rows: bars(groups) },
      { heading: 'Model-list changes by kind', rows: bars(changes.map((c) => ({ label: c.kind, count: c.count }))) },
    ],
  };
}
