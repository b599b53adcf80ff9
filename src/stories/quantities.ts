/**
 * Numbers with a scale or unit, written the same way whatever the language: "$500 billion",
 * "500.000 millones de dólares" and "5000亿美元" are all `q:50e10`; "671B", "671 billion parameters" and
 * "6710亿参数" are one value too. They tie reports of one event across languages (a deal's size, a model's
 * parameter count, a share move), so clustering uses them as anchors. Plain counts and years are left out.
 */

const SCALE: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  mil: 1e3,
  m: 1e6,
  mn: 1e6,
  million: 1e6,
  millions: 1e6,
  millon: 1e6,
  millones: 1e6,
  milhao: 1e6,
  milhoes: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  billions: 1e9,
  bilhao: 1e9,
  bilhoes: 1e9,
  milliard: 1e9,
  milliards: 1e9,
  mrd: 1e9,
  t: 1e12,
  tn: 1e12,
  trillion: 1e12,
  trillions: 1e12,
  billon: 1e12,
  billones: 1e12,
  trilhao: 1e12,
  trilhoes: 1e12,
  млрд: 1e9,
  млн: 1e6,
  трлн: 1e12,
};
const CJK_SCALE: Record<string, number> = {
  万: 1e4,
  萬: 1e4,
  亿: 1e8,
  億: 1e8,
  万亿: 1e12,
  萬億: 1e12,
  兆: 1e12,
  千: 1e3,
};

/** Two significant digits, truncated, with the exponent: 5e11 → `50e10`, 3.25e10 → `32e9`. */
export function canonicalQuantity(v: number): string | null {
  if (!Number.isFinite(v) || v <= 0) return null;
  const e = Math.floor(Math.log10(v)) - 1;
  const mantissa = Math.floor(v / 10 ** e + 1e-9);
  return `q:${mantissa}e${e}`;
}

function parseNumber(raw: string, scaleFollows: boolean): number {
  // "500.000 millones" and "4,000億": a separator followed by exactly three digits groups thousands.
  const grouped = /^\d{1,3}(?:[.,]\d{3})+$/.test(raw);
  if (grouped && (scaleFollows || /,/.test(raw))) return Number(raw.replace(/[.,]/g, ''));
  return Number(raw.replace(',', '.'));
}

const LATIN =
  /(?:^|[^\p{L}\p{N}.,])(\d{1,4}(?:[.,]\d{1,3})*)\s?(trillions?|billions?|millions?|thousand|billones|billon|millones|millon|milhoes|milhao|bilhoes|bilhao|trilhoes|trilhao|milliards?|mrd|mil|bn|tn|mn|млрд|млн|трлн|[kmbt])(?![\p{L}\p{N}])/gu;
const CJK = /(\d{1,5}(?:[.,]\d{1,3})*)\s?(万亿|萬億|万|萬|亿|億|兆)/gu;
const PERCENT = /(\d{1,3}(?:[.,]\d{1,2})?)\s?%/gu;
const POWER = /(\d{1,3}(?:[.,]\d)?)\s?(?:gw|gigawatts?|gigavatios|吉瓦)(?![\p{L}])/gu;

/**
 * The quantity anchors in folded text (lower case, diacritics removed). A value is named once however
 * often it appears. Percentages of 10 or more and power in gigawatts keep their unit; they are common
 * enough in market news that small ones would tie unrelated stories.
 */
export function extractQuantities(folded: string): string[] {
  const out = new Set<string>();
  if (!/\d/.test(folded)) return [];
  for (const m of folded.matchAll(LATIN)) {
    const scale = SCALE[m[2] as string];
    if (!scale) continue;
    // "mil" alone is Spanish for a thousand only before a currency or "millones" ("50 mil millones").
    const q = canonicalQuantity(parseNumber(m[1] as string, true) * scale);
    if (q) out.add(q);
  }
  for (const m of folded.matchAll(CJK)) {
    const q = canonicalQuantity(parseNumber(m[1] as string, true) * (CJK_SCALE[m[2] as string] ?? 1));
    if (q) out.add(q);
  }
  for (const m of folded.matchAll(PERCENT)) {
    const v = Number((m[1] as string).replace(',', '.'));
    if (v >= 10) out.add(`q:${Math.floor(v)}%`);
  }
  for (const m of folded.matchAll(POWER)) out.add(`q:${Number((m[1] as string).replace(',', '.'))}gw`);
  return [...out];
}

const HK_TICKER = /(?<![\d.])0?(\d{4})[ .]?hk(?![a-z])|股票代码 ?0?(\d{4})|股票代碼 ?0?(\d{4})/gu;
const US_TICKER = /\b(?:nasdaq|nyse): ?([a-z]{1,5})\b|\b([a-z]{2,5}) us\)/gu;

/**
 * Stock tickers in folded text ("02513.HK", "02513-HK", "股票代码2513", "NASDAQ: NVDA", "(GOOGL-US)"),
 * as `t:` anchors: one listing is one company whatever language reports it.
 */
export function extractTickers(folded: string): string[] {
  const out = new Set<string>();
  if (folded.includes(' hk') || folded.includes('.hk') || folded.includes('股票代'))
    for (const m of folded.matchAll(HK_TICKER)) out.add(`t:${Number(m[1] ?? m[2] ?? m[3])}`);
  if (folded.includes(' us)') || folded.includes('nasdaq') || folded.includes('nyse'))
    for (const m of folded.matchAll(US_TICKER)) out.add(`t:${m[1] ?? m[2]}`);
  return [...out];
}
