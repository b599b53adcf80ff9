import type { ChartSpec } from './chart-spec.js';

/** Slack's limit for a file's alt text. */
const MAX_ALT = 1000;

/**
 * The alt text of a chart: its title and every number it draws, written as the chart writes them
 * (so a screen reader gets what a sighted reader sees), then the small print.
 */
export function chartAltText(spec: ChartSpec): string {
  const parts = [`${spec.title}${spec.subtitle ? ` (${spec.subtitle})` : ''}.`];
  const prev = spec.legend?.previous ?? 'previous';
  for (const g of spec.groups) {
    if (g.rows.length === 0) continue;
    const rows = g.rows.map(
      (r) => `${r.label} ${r.display}${r.previousDisplay !== undefined ? ` (${prev}: ${r.previousDisplay})` : ''}`,
    );
    parts.push(`${g.heading}: ${rows.join('; ')}.`);
  }
  if (spec.footer) parts.push(spec.footer);
  const text = parts.join(' ');
  return text.length <= MAX_ALT ? text : `${text.slice(0, MAX_ALT - 1)}…`;
}
