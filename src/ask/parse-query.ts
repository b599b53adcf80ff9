import type { EntityMatcher } from '../catalog/match-entities.js';
import { foldText } from '../stories/terms.js';

/** A question or search, taken apart: time window, entity filters and the remaining words. */
export interface ParsedQuery {
  text: string;
  /** @unit milliseconds; null means all time */
  sinceMs: number | null;
  labs: string[];
  families: string[];
  /** Model versions named (`qwen@3.5`): the strictest filter. */
  versions: string[];
  origins: string[];
  openness: ('open' | 'closed')[];
  /** Content words for full-text search (folded, no stop or question words). */
  terms: string[];
  /** CJK runs to look up by substring. */
  cjk: string[];
  language: 'en' | 'es' | 'zh' | null;
}

const DAY = 86_400_000;
// Time phrases in English and Spanish; the first that matches wins.
const TIME: [RegExp, number][] = [
  [/\b(today|hoy|last 24 ?h(ours)?|past day|últimas 24 ?h(oras)?)\b/, DAY],
  [/\b(yesterday|ayer)\b/, 2 * DAY],
  [
    /\b(this week|past week|last week|last 7 days|esta semana|la semana pasada|últimos 7 días|ultimos 7 dias)\b/,
    7 * DAY,
  ],
  [
    /\b(this month|past month|last month|last 30 days|este mes|el mes pasado|últimos 30 días|ultimos 30 dias)\b/,
    30 * DAY,
  ],
  [/\b(this year|este año|este ano)\b/, 365 * DAY],
];
const LAST_N = /\b(?:last|past|últimos|ultimos|in the last)\s+(\d{1,3})\s+(days?|días|dias|weeks?|semanas?)\b/;
const ORIGIN: [RegExp, string][] = [
  [/\b(chin(a|ese|os?|as?)|chinese)\b|中国|国产/, 'CN'],
  [/\b(europe(an)?|europe[oa]s?|european union|eu)\b/, 'EU'],
  [/\b(usa|united states|american|estados unidos|estadounidenses?|norteamericanos?)\b/, 'US'],
];
const OPEN = /\b(open[ -]?(weights?|source)?|abiertos?|abiertas?|pesos abiertos|c[oó]digo abierto)\b|开源/;
const CLOSED = /\b(closed|cerrados?|cerradas?|propriet\w*|propietari\w*)\b|闭源/;
// Words that shape a question but say nothing about its subject.
const NOISE = new Set(
  (
    'what which who whom whose when where why how did does do is are was were has have had will would can could should ' +
    'the a an of to in on for from by with about and or any all some new latest recent news release released releases launch ' +
    'launched ship shipped announce announced model models week month today yesterday last this past year days day tell me ' +
    'qué que cuál cual cuáles cuales quién quien cuándo cuando dónde donde cómo como por para de del la el los las un una unos unas ' +
    'y o en con sobre hay ha han fue fueron salió salieron salio lanzó lanzo lanzaron lanzamiento nuevo nuevos nueva nuevas ' +
    'modelo modelos semana mes hoy ayer año es son está están esta este estos estas último últimos ultimo ultimos ' +
    'open abiertos abiertas closed cerrados weights pesos source código codigo chinese chinos china european europeos american ' +
    'us usa eu ia ai lab labs laboratorio empresas company companies ' +
    'out up down off over under again still just also only very much more most other such own same so than too ' +
    'came come comes coming go goes going went get gets got make makes made good best better any there here ' +
    'it its they them their we our you your he she his her i me my be been being am if then else not no yes ' +
    'know tell show give find look want need said says say think about into onto between during before after ' +
    'ha hizo hace hacen está estan sigue siguen todavía todavia aún aun ya muy más menos otro otra otros otras ' +
    'dime dame muestra cuéntame cuentame saber quiero'
  ).split(' '),
);

/** A rough language guess for answering in the question's language. */
export function detectLanguage(text: string): 'en' | 'es' | 'zh' | null {
  if (/[\u4e00-\u9fff]/.test(text)) return 'zh';
  const f = foldText(text);
  const es =
    (
      f.match(
        /\b(que|cual|cuales|modelos?|semana|lanzo|lanzaron|salieron|hay|los|las|del|esta|este|sobre|abiertos|ultimos)\b/g,
      ) ?? []
    ).length + (/[¿¡ñ]/.test(text) ? 2 : 0);
  const en = (f.match(/\b(what|which|did|the|this|week|release[ds]?|models?|about|open|new|latest|any)\b/g) ?? [])
    .length;
  if (es === 0 && en === 0) return null;
  return es > en ? 'es' : 'en';
}

/** Parses a query: time window, labs/families (via the catalog, so aliases and Chinese names work), origin, openness, words. */
export function parseQuery(text: string, matcher: EntityMatcher): ParsedQuery {
  const folded = foldText(text);
  let sinceMs: number | null = null;
  const n = LAST_N.exec(folded);
  if (n) sinceMs = Number(n[1]) * (/^(weeks?|semanas?)$/.test(n[2] as string) ? 7 : 1) * DAY;
  else
    for (const [re, ms] of TIME)
      if (re.test(folded)) {
        sinceMs = ms;
        break;
      }
  const entities = matcher.match(text, 'AI model');
  const origins = ORIGIN.filter(([re]) => re.test(folded)).map(([, o]) => o);
  const openness: ('open' | 'closed')[] = [];
  if (OPEN.test(folded)) openness.push('open');
  if (CLOSED.test(folded)) openness.push('closed');
  const entityWords = new Set([
    ...entities.labs.concat(entities.families).flatMap((id) => id.split(/[-_]/)),
    ...entities.versions.flatMap((v) => foldText(v.name).split(/[\s-]+/)),
  ]);
  const words = folded.match(/[\p{L}\p{N}][\p{L}\p{N}.+-]*/gu) ?? [];
  const terms = [
    ...new Set(
      words
        .map((w) => w.replace(/[.+-]+$/, ''))
        .filter((w) => w.length > 1 && !NOISE.has(w) && !entityWords.has(w) && !/[\u3400-\u9fff]/.test(w)),
    ),
  ];
  const cjk = (text.match(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2,}/g) ?? []).filter(
    (r) => r.length >= 3,
  );
  return {
    text,
    sinceMs,
    labs: entities.labs,
    families: entities.families,
    versions: entities.versions.map((v) => v.key),
    origins,
    openness,
    terms,
    cjk,
    language: detectLanguage(text),
  };
}
