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

/** Shortens text to `max` characters at a word boundary. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}
