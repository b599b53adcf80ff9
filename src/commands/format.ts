import { AppError } from '../core/errors.js';

/** "3 h ago"-style age of an ISO time relative to `now`. */
export function ago(iso: string | null, now: Date): string {
  if (!iso) return 'never';
  const ms = now.getTime() - Date.parse(iso);
  if (ms < 0) return 'just now';
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

/** Parses "24h", "7d", "30d", "90m" into milliseconds, or null. */
export function parseDuration(s: string | undefined): number | null {
  const m = /^(\d+)\s*(m|min|h|d|w)$/i.exec(s?.trim() ?? '');
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] as string).toLowerCase();
  const mult = unit === 'w' ? 7 * 86_400_000 : unit === 'd' ? 86_400_000 : unit === 'h' ? 3_600_000 : 60_000;
  return n * mult;
}

/** The shortest window a command accepts. @unit milliseconds */
export const MIN_WINDOW_MS = 60_000;

/**
 * Reads a window word ("24h", "7d") and checks it lies between one minute and `maxMs`: a well-formed
 * but absurd window ("99999999999d", "0h") is a usage error naming the allowed range, never an
 * invalid date further on. Returns null when the word is not a duration at all.
 */
export function parseWindow(word: string, maxMs: number, what: string): number | null {
  const ms = parseDuration(word);
  if (ms === null) return null;
  if (!(ms >= MIN_WINDOW_MS && ms <= maxMs))
    throw new AppError(
      'usage',
      `"${word.slice(0, 40)}" is outside the ${what} window range: use 1m to ${Math.round(maxMs / 86_400_000)}d (e.g. 24h or 7d)`,
    );
  return ms;
}

/** Shortens text to `max` characters at a word boundary. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}
