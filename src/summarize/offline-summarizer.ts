import { extractTerms } from '../stories/terms.js';
import { detectLanguage, primaryLanguage } from './detect-language.js';
import { stripControlSequences } from './sanitize-text.js';
import type { Summarizer, SummaryInput, SummaryOutput } from './summarizer.js';

/** Summary length cap. @unit characters */
export const OFFLINE_MAX_CHARS = 360;

/** No URL is allowed in an offline summary: bare links from feed text are dropped (the digest links the sources). */
const NO_LINKS = new Set<string>();

const NOISE =
  /\b(subscribe|newsletter|sign up|log in|cookie|click here|follow us|all rights reserved|advertisement|sponsored|image credit|photo:|getty images|read more|continue reading|appeared first|share this|podcast episode)\b|suscr[ií]bete|关注我们|点击|原标题/i;
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/;

interface Sentence {
  text: string;
  source: number;
  position: number;
  terms: Set<string>;
  language: string | null;
}

function segment(text: string, language: string | null): string[] {
  let locale = 'en';
  try {
    locale = Intl.getCanonicalLocales(language ?? 'en')[0] ?? 'en';
  } catch {}
  const segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
  return [...segmenter.segment(text)].map((s) => s.segment.replace(/\s+/g, ' ').trim());
}

function usable(s: string): boolean {
  const cjk = CJK.test(s);
  if (s.length < (cjk ? 10 : 30) || s.length > 420) return false;
  if (NOISE.test(s)) return false;
  if ((s.match(/https?:\/\//g) ?? []).length > 0 && s.replace(/https?:\/\/\S+/g, '').trim().length < 30) return false;
  return /[\p{L}]/u.test(s);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 0 : inter / union;
}

/**
 * The sources to summarize from, all in one language: those in `language` when there are any, else those
 * in the language most sources share (the earliest source's on a tie). A summary never mixes languages.
 */
export function sourcesInOneLanguage(
  sources: SummaryInput['sources'],
  language: string | null,
): { sources: SummaryInput['sources']; language: string | null } {
  const tagged = sources.map((s) => ({
    s,
    lang: primaryLanguage(s.language) ?? detectLanguage(`${s.title}\n${s.text}`),
  }));
  const want = primaryLanguage(language);
  if (want && tagged.some((t) => t.lang === want))
    return { sources: tagged.filter((t) => t.lang === want).map((t) => t.s), language: want };
  const counts = new Map<string | null, number>();
  for (const t of tagged) counts.set(t.lang, (counts.get(t.lang) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  const pick = tagged.find((t) => counts.get(t.lang) === top)?.lang ?? null;
  return { sources: tagged.filter((t) => t.lang === pick).map((t) => t.s), language: pick };
}

/**
 * Extractive summary in one language (see sourcesInOneLanguage): sentences are scored by how central
 * their terms are across the chosen sources (centroid), by overlap with the headline and by position
 * (leads say what happened); the best two or three non-redundant ones are kept, in reading order,
 * within the cap.
 */
export function summarizeOffline(
  input: SummaryInput,
  maxChars = OFFLINE_MAX_CHARS,
  language: string | null = null,
): { summary: string; language: string | null } {
  const chosenSources = sourcesInOneLanguage(input.sources, language);
  const sentences: Sentence[] = [];
  chosenSources.sources.slice(0, 6).forEach((src, source) => {
    // Bare URLs go before sentences are found: a "?" inside one would otherwise end a sentence.
    segment(stripControlSequences(src.text.slice(0, 2500), NO_LINKS), src.language).forEach((text, position) => {
      if (usable(text))
        sentences.push({ text, source, position, terms: new Set(extractTerms(text)), language: src.language });
    });
  });
  const fallbackLanguage = chosenSources.language;
  if (sentences.length === 0) {
    const text = chosenSources.sources.map((s) => s.text).find((t) => t.trim().length > 0) ?? '';
    const summary = text ? truncateAtWord(text.replace(/\s+/g, ' '), maxChars) : input.title;
    return { summary: stripControlSequences(summary, NO_LINKS), language: fallbackLanguage };
  }
  const freq = new Map<string, number>();
  const spread = new Map<string, Set<number>>();
  for (const s of sentences) {
    for (const t of s.terms) {
      freq.set(t, (freq.get(t) ?? 0) + 1);
      const set = spread.get(t) ?? new Set<number>();
      set.add(s.source);
      spread.set(t, set);
    }
  }
  const titleTerms = new Set(extractTerms(input.title));
  const score = (s: Sentence) => {
    let central = 0;
    for (const t of s.terms) central += (freq.get(t) ?? 0) * (spread.get(t)?.size ?? 1);
    central /= Math.sqrt(Math.max(4, s.terms.size));
    const title = jaccard(s.terms, titleTerms) * 6;
    const lead = 2.5 / (1 + s.position);
    return central + title + lead;
  };
  const ranked = sentences.map((s) => ({ s, score: score(s) })).sort((a, b) => b.score - a.score);
  const chosen: Sentence[] = [];
  let length = 0;
  const top = ranked[0]?.score ?? 0;
  for (const { s, score: value } of ranked) {
    if (chosen.length >= 3) break;
    if (chosen.length > 0 && value < top * 0.45) break; // weak sentences dilute a summary more than they add
    if (chosen.some((c) => jaccard(c.terms, s.terms) > 0.5)) continue;
    if (length + s.text.length + 1 > maxChars && chosen.length > 0) continue;
    chosen.push(s);
    length += s.text.length + 1;
  }
  chosen.sort((a, b) => a.source - b.source || a.position - b.position);
  const summary = truncateAtWord(chosen.map((c) => c.text).join(' '), maxChars);
  return { summary: stripControlSequences(summary, NO_LINKS), language: fallbackLanguage };
}

function truncateAtWord(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const at = cut.lastIndexOf(' ');
  return `${(at > max * 0.6 ? cut.slice(0, at) : cut).replace(/[,;:\s]+$/, '')}…`;
}

/** The summarizer used when no model is configured; also every fallback's source. */
export function createOfflineSummarizer(): Summarizer {
  return {
    model: 'offline',
    async summarize(inputs: SummaryInput[], options: { language: string }): Promise<Map<string, SummaryOutput>> {
      const out = new Map<string, SummaryOutput>();
      for (const input of inputs) {
        const r = summarizeOffline(input, OFFLINE_MAX_CHARS, options.language);
        out.set(input.key, { summary: r.summary, source: 'offline', reason: null, model: null, language: r.language });
      }
      return out;
    },
  };
}
