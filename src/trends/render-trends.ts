import type { TrendRow, Trends } from './compute-trends.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const SPARK = '▁▂▃▄▅▆▇█';

/** A horizontal bar of `width` cells for a share in 0..1, in eighth-cell steps. */
export function bar(share: number, width = 12): string {
  const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
  return `${'█'.repeat(Math.floor(eighths / 8))}${EIGHTHS[eighths % 8]}`.padEnd(width, ' ');
}

/** A sparkline of counts, one character per value. */
export function sparkline(values: number[]): string {
  const max = Math.max(...values, 0);
  if (max === 0) return SPARK[0]?.repeat(values.length) ?? '';
  return values.map((v) => SPARK[Math.min(7, Math.round((v / max) * 7))]).join('');
}

/** "▲ 4 pts", "▼ 2 pts", "new" or "=". */
export function arrow(r: Pick<TrendRow, 'change' | 'previousStories' | 'stories'>): string {
  if (r.previousStories === 0 && r.stories > 0) return 'new';
  if (Math.abs(r.change) < 0.5) return '=';
  return `${r.change > 0 ? '▲' : '▼'} ${Math.abs(Math.round(r.change))} pts`;
}

function section(title: string, list: TrendRow[], limit: number, spark: boolean): string[] {
  const shown = list.filter((r) => r.stories > 0).slice(0, limit);
  if (shown.length === 0) return [title, '  (no stories)'];
  const width = Math.min(22, Math.max(...shown.map((r) => r.name.length)));
  return [
    title,
    ...shown.map((r) => {
      const name = r.name.length > width ? `${r.name.slice(0, width - 1)}…` : r.name.padEnd(width);
      return `  ${name} ${bar(r.share)} ${`${Math.round(r.share * 100)}%`.padStart(4)}  ${arrow(r).padEnd(9)}${spark ? ` ${sparkline(r.daily)}` : ''}`;
    }),
  ];
}

/** Trends as monospace text: readable in a terminal and inside a Slack code block. */
export function renderTrendsText(t: Trends, labLimit = 10): string {
  const day = (iso: string) => iso.slice(0, 10);
  const head = `AI model ecosystem, last ${t.days} days (${day(t.from)} → ${day(t.to)}): ${t.stories} stories (previous ${t.days} days: ${t.previousStories}).`;
  if (t.stories === 0) return `${head}\nNothing tagged yet in this window.\n${t.measure}`;
  const rising = t.rising.length
    ? `Rising fastest: ${t.rising.map((r) => `${r.name} (+${Math.round(r.change)} pts)`).join(', ')}.`
    : 'No lab gained share.';
  return [
    head,
    ...section('By origin', t.origins, 4, false),
    ...section('By openness', t.openness, 4, false),
    ...section(`Labs (top ${labLimit}; daily stories →)`, t.labs, labLimit, true),
    rising,
    t.measure,
  ]
    .map((l) => l.trimEnd())
    .join('\n');
}

/** One line for a digest: shares by origin and openness with arrows against the previous window. */
export function pulseLine(t: Trends): string {
  if (t.stories === 0) return '';
  const part = (list: TrendRow[]) =>
    list
      .filter((r) => r.stories > 0)
      .slice(0, 4)
      .map((r) =>
        `${r.name} ${Math.round(r.share * 100)}% ${arrow(r) === '=' ? '' : arrow(r).replace(' pts', '')}`.trim(),
      )
      .join(' · ');
  return `${part(t.origins)}  |  ${part(t.openness)}`;
}
