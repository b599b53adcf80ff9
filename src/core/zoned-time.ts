/** Local calendar fields of an instant in an IANA time zone. */
export function localParts(
  at: Date,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; date: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const year = get('year');
  const month = get('month');
  const day = get('day');
  return {
    year,
    month,
    day,
    hour: get('hour'),
    minute: get('minute'),
    date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  };
}

function offsetMs(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(at.getTime() / 60_000) * 60_000;
}

/**
 * The instant a local wall-clock time happens in a zone. A time skipped by a DST jump is moved forward
 * by the jump (02:30 on a spring-forward night becomes 03:30, as Temporal's "compatible" rule does); a
 * time that happens twice resolves to its first occurrence.
 */
export function zonedTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Try the offsets in force just before and after; keep the earliest candidate that reads back right.
  const candidates = [
    offsetMs(new Date(wall - 86_400_000 / 2), timeZone),
    offsetMs(new Date(wall + 86_400_000 / 2), timeZone),
  ]
    .map((off) => new Date(wall - off))
    .sort((a, b) => a.getTime() - b.getTime());
  for (const c of candidates) {
    const p = localParts(c, timeZone);
    if (p.year === year && p.month === month && p.day === day && p.hour === hour && p.minute === minute) return c;
  }
  // Inside a spring-forward gap the wall time never happens: read it with the offset from before the jump.
  return new Date(wall - offsetMs(new Date(wall - 86_400_000 / 2), timeZone));
}

/** Parses "HH:MM" (24 h). */
export function parseClockTime(s: string): { hour: number; minute: number } | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

/** True when `tz` is an IANA zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
