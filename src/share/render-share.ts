import { SHARE_CAVEAT, type ShareWindow, type UsageShare } from './compute-share.js';

const ORIGINS: [keyof ShareWindow['byOrigin'], string][] = [
  ['US', 'United States'],
  ['CN', 'China'],
  ['EU', 'Europe'],
  ['other', 'Other'],
  ['unattributed', 'Unattributed'],
];
const OPENNESS: [keyof ShareWindow['byOpenness'], string][] = [
  ['open', 'Open weights'],
  ['closed', 'Closed'],
  ['unattributed', 'Unattributed'],
];

/** A fraction as a percentage with one decimal ("31.2%"); the charts' alt text uses the same form. */
export const pct = (f: number | null) => (f === null ? 'n/a' : `${(f * 100).toFixed(1)}%`);

/** A change in percentage points ("▲ 4.1 pts", "▼ 0.3 pts", "="); empty without a previous value. */
export function pts(now: number | null, before: number | null | undefined): string {
  if (now === null || before === null || before === undefined) return '';
  const d = Math.round((now - before) * 1000) / 10;
  return Math.abs(d) < 0.05 ? '=' : `${d > 0 ? '▲' : '▼'} ${Math.abs(d).toFixed(1)} pts`;
}

/** Token counts people can read: 1.2T, 340B, 12M. */
export function tokens(n: number): string {
  for (const [v, unit] of [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const)
    if (n >= v) return `${(n / v).toFixed(n >= 10 * v ? 0 : 1)}${unit}`;
  return String(n);
}

/** `share` as text: shares by origin and openness against the previous window, the caveat, the credit line. */
export function renderShareText(s: UsageShare, days: number): string {
  const p = s.previous;
  const line = <K extends string>(list: [K, string][], now: Record<K, number>, before?: Record<K, number>) =>
    list
      .map(([k, name]) => {
        const change = pts(now[k], before?.[k]);
        return `  ${name.padEnd(14)} ${pct(now[k]).padStart(6)}${change ? `  ${change}` : ''}`;
      })
      .join('\n');
  return [
    `Token share on OpenRouter, last ${days} full UTC days (${s.from} → ${s.to}): ${tokens(s.totalTokens)} tokens${
      p
        ? ` (previous ${days} days, ${p.from} → ${p.to}: ${tokens(p.totalTokens)})`
        : ' (nothing stored for the days before)'
    }.`,
    'By origin',
    line(ORIGINS, s.byOrigin, p?.byOrigin),
    'By openness',
    line(OPENNESS, s.byOpenness, p?.byOpenness),
    `Chinese share of open-model tokens: ${pct(s.chinaShareOfOpen)}${p ? `  ${pts(s.chinaShareOfOpen, p.chinaShareOfOpen)}` : ''}`,
    SHARE_CAVEAT,
    s.source,
  ].join('\n');
}

/** One line for the digest's pulse: the week's Chinese share of open-model tokens and its change. */
export function sharePulseLine(s: UsageShare): string {
  const change = pts(s.chinaShareOfOpen, s.previous?.chinaShareOfOpen);
  return `China ${pct(s.chinaShareOfOpen)} of open-model tokens on OpenRouter${change && change !== '=' ? ` ${change}` : ''} (7 days; open models ${pct(s.byOpenness.open)} of all). ${s.source}`;
}
