const ZONES: Record<string, string> = {
  UT: '+0000',
  UTC: '+0000',
  GMT: '+0000',
  Z: '+0000',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
  CET: '+0100',
  CEST: '+0200',
  BST: '+0100',
  IST: '+0530',
  JST: '+0900',
  KST: '+0900',
  HKT: '+0800',
  SGT: '+0800',
  AEST: '+1000',
  AEDT: '+1100',
  MSK: '+0300',
  EET: '+0200',
  EEST: '+0300',
  WET: '+0000',
  WEST: '+0100',
  BRT: '-0300',
};
// Month names seen in non-English feeds (es, pt, fr, de, it); the key is the first three letters.
const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  ene: 1,
  abr: 4,
  ago: 8,
  dic: 12,
  fev: 2,
  mai: 5,
  set: 9,
  out: 10,
  dez: 12,
  janv: 1,
  fév: 2,
  mär: 3,
  avr: 4,
  juin: 6,
  juil: 7,
  aoû: 8,
  déc: 12,
  okt: 10,
  gen: 1,
  giu: 6,
  lug: 7,
  ott: 10,
};

/**
 * Parses the date formats feeds use (RFC 822 with odd zones or localized names, ISO 8601/W3C-DTF,
 * MM/DD/YYYY). Returns null when nothing sensible can be read.
 */
export function parseDate(raw: string | null | undefined): Date | null {
  if (!raw) return null;
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s === '') return null;
  const iso =
    /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(s);
  if (iso) {
    const [, y, mo, d = '01', h = '00', mi = '00', sec = '00', zone] = iso;
    const z =
      !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    return valid(new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}${z}`));
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
  if (us) {
    const [, mo, d, y, h = '0', mi = '0', sec = '0'] = us;
    return valid(new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), +h, +mi, +sec)));
  }
  const rfc = parseRfc822(s);
  if (rfc) return rfc;
  const direct = Date.parse(s);
  return Number.isNaN(direct) ? null : new Date(direct);
}

function parseRfc822(s: string): Date | null {
  // [Weekday,] DD Mon YYYY [HH:MM[:SS][.frac]] [zone]
  const m =
    /^(?:[^\d,]+,?\s*)?(\d{1,2})[ -]([^\s\d-]+)\.?[ -](\d{2,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?/.exec(
      s,
    );
  if (!m) return null;
  const [, d, monName, yRaw, h = '0', mi = '0', sec = '0', zoneRaw] = m;
  const key = (monName as string).toLowerCase();
  const month = MONTHS[key.slice(0, 4)] ?? MONTHS[key.slice(0, 3)];
  if (!month) return null;
  let y = Number(yRaw);
  if (y < 100) y += y < 50 ? 2000 : 1900;
  let offset = 0;
  if (zoneRaw) {
    const z = ZONES[zoneRaw.toUpperCase()] ?? (/^[+-]/.test(zoneRaw) ? zoneRaw.replace(':', '') : '+0000');
    const sign = z.startsWith('-') ? -1 : 1;
    offset = sign * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  }
  const utc = Date.UTC(y, month - 1, Number(d), Number(h), Number(mi), Number(sec)) - offset * 60_000;
  return valid(new Date(utc));
}

function valid(d: Date): Date | null {
  return Number.isNaN(d.getTime()) ? null : d;
}
