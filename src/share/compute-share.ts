import type { UsageRow } from '../store/ranking-repository.js';
import type { Attribution } from './attribute-usage.js';

/** Token shares over a run of whole UTC days; every share is a fraction of all tokens, `other` included. */
export interface ShareWindow {
  asOf: string | null;
  /** First and last UTC day (YYYY-MM-DD), inclusive. */
  from: string;
  to: string;
  totalTokens: number;
  byOrigin: { US: number; CN: number; EU: number; other: number; unattributed: number };
  byOpenness: { open: number; closed: number; unattributed: number };
  /** Chinese open-model tokens ÷ all open-model tokens; null when no open model was ranked. */
  chinaShareOfOpen: number | null;
}

/** `share --json`: this window, the one before (null when nothing is stored for it), and the credit line. */
export interface UsageShare extends ShareWindow {
  previous: ShareWindow | null;
  source: string;
}

/** The citation OpenRouter's licence asks for, for republished numbers. */
export const creditLine = (asOf: string | null) =>
  `Source: OpenRouter (openrouter.ai/rankings), as of ${asOf ?? 'unknown'}. Licensed under CC BY 4.0.`;

export const SHARE_CAVEAT =
  'The rankings list the top 50 models of each day plus one "other" row for the long tail, which cannot be attributed; token counts come from each provider’s tokenizer, so they are not directly comparable across model families.';

const DAY_MS = 86_400_000;
const round = (n: number) => Math.round(n * 1e6) / 1e6;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** The last `days` full UTC days before `now`, and the `days` before them. */
export function shareWindows(now: Date, days: number) {
  const today = Date.parse(`${day(now)}T00:00:00Z`);
  const at = (n: number) => day(new Date(today + n * DAY_MS));
  return {
    current: { from: at(-days), to: at(-1) },
    previous: { from: at(-2 * days), to: at(-days - 1) },
  };
}

/** Shares of one window's rows; null when the window holds no rows. */
export function computeShareWindow(
  rows: UsageRow[],
  attribute: (slug: string) => Attribution,
  window: { from: string; to: string },
): ShareWindow | null {
  const inWindow = rows.filter((r) => r.day >= window.from && r.day <= window.to);
  if (inWindow.length === 0) return null;
  const origin = { US: 0, CN: 0, EU: 0, other: 0, unattributed: 0 };
  const openness = { open: 0, closed: 0, unattributed: 0 };
  let total = 0;
  let chinaOpen = 0;
  let asOf: string | null = null;
  for (const r of inWindow) {
    const a = attribute(r.modelPermaslug);
    total += r.totalTokens;
    origin[a.origin] += r.totalTokens;
    openness[a.openness] += r.totalTokens;
    if (a.origin === 'CN' && a.openness === 'open') chinaOpen += r.totalTokens;
    if (asOf === null || r.asOf > asOf) asOf = r.asOf;
  }
  const frac = (n: number) => (total > 0 ? round(n / total) : 0);
  return {
    asOf,
    from: window.from,
    to: window.to,
    totalTokens: total,
    byOrigin: {
      US: frac(origin.US),
      CN: frac(origin.CN),
      EU: frac(origin.EU),
      other: frac(origin.other),
      unattributed: frac(origin.unattributed),
    },
    byOpenness: { open: frac(openness.open), closed: frac(openness.closed), unattributed: frac(openness.unattributed) },
    chinaShareOfOpen: openness.open > 0 ? round(chinaOpen / openness.open) : null,
  };
}

/** The usage share of the last `days` full UTC days against the `days` before; null when nothing is stored. */
export function computeShare(
  rows: UsageRow[],
  attribute: (slug: string) => Attribution,
  now: Date,
  days: number,
): UsageShare | null {
  const w = shareWindows(now, days);
  const current = computeShareWindow(rows, attribute, w.current);
  if (!current) return null;
  const previous = computeShareWindow(rows, attribute, w.previous);
  return { ...current, previous, source: creditLine(current.asOf) };
}
