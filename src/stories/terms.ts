import { simplifyHan } from '../catalog/simplify-han.js';

// Function words of the languages the default feeds use; they carry no identity.
const STOP = new Set(
  (
    'a an the and or but of to in on at for from by with as is are was were be been being it its this that these those ' +
    'has have had will would can could may might new now just more most than then into over after before about out up ' +
    'how what why who which when where says said say via not no yes all any our your their his her they we you i ' +
    'el la los las un una unos unas y o de del al en con por para que se su sus es son fue ha han como más mas sobre ' +
    'le les des du et est sont une pour dans avec sur der die das und ist mit für von'
  ).split(' '),
);

/** Lower-case, NFKC-normalised text with Latin diacritics folded (é → e) and traditional Han simplified. */
export function foldText(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range test needs the whole range
  if (/^[\u0000-\u007f]*$/.test(s)) return s.toLowerCase(); // most feed text: nothing to decompose
  const folded = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFKC')
    .toLowerCase();
  return HAN.test(folded) ? folded.replace(HAN_ALL, simplifyHan) : folded;
}

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff]/;
const WORD = /[\p{L}\p{N}]+(?:[.\-_][\p{L}\p{N}]+)*/gu;
// The same words in ASCII text, without Unicode classes (several times faster).
const ASCII_WORD = /[a-z0-9]+(?:[.\-_][a-z0-9]+)*/g;
const HAN_ALL = /[\u3400-\u4dbf\u4e00-\u9fff]/g;
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+/g;
let segmenter: Intl.Segmenter | undefined;

/**
 * Words of a run of Chinese or Japanese text, by ICU's dictionary segmenter. Names it does not know
 * ("特朗普", "软银") come out as single characters; consecutive single characters are joined back into
 * one word, and a lone character is dropped (it is mostly a particle).
 */
function cjkWords(run: string): string[] {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  const out: string[] = [];
  let singles = '';
  const flush = () => {
    if (singles.length > 1) out.push(singles);
    singles = '';
  };
  for (const s of segmenter.segment(run)) {
    if (!s.isWordLike) {
      flush();
      continue;
    }
    if (s.segment.length === 1) singles += s.segment;
    else {
      flush();
      out.push(s.segment);
    }
  }
  flush();
  return out;
}

/**
 * Terms for similarity: words (keeping model-name shapes like "gpt-5.2" and "qwen3.5-397b", plus their
 * parts), and the words of CJK runs, which have no spaces (see cjkWords).
 */
export function extractTerms(text: string): string[] {
  const out: string[] = [];
  const folded = foldText(text);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range test needs the whole range
  const ascii = /^[\u0000-\u007f]*$/.test(folded);
  for (const raw of folded.match(ascii ? ASCII_WORD : WORD) ?? []) {
    if (!ascii && CJK.test(raw)) {
      for (const run of raw.match(CJK_RUN) ?? []) out.push(...cjkWords(run));
      for (const latin of raw.split(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+/))
        if (latin.length > 1) out.push(latin);
      continue;
    }
    if (raw.length < 2 && !/\d/.test(raw)) continue;
    if (STOP.has(raw)) continue;
    out.push(raw);
    if (/[.\-_]/.test(raw))
      for (const part of raw.split(/[-_]/)) if (part.length > 1 && part !== raw && !STOP.has(part)) out.push(part);
  }
  return out;
}

/** Term weights of a document: title terms count twice, since headlines name the event. */
export function termVector(title: string, lead: string): Map<string, number> {
  const v = new Map<string, number>();
  for (const t of extractTerms(title)) v.set(t, (v.get(t) ?? 0) + 2);
  for (const t of extractTerms(lead.slice(0, 400))) v.set(t, (v.get(t) ?? 0) + 1);
  return v;
}

const norms = new WeakMap<Map<string, number>, { idf: (term: string) => number; norm: number }>();

/**
 * Σ (w·idf)² over a term vector, remembered per vector and weighting: a batch scores each candidate
 * story against many reports with one IDF. Whoever changes a remembered vector calls `forgetNorm`.
 */
export function squaredNorm(v: Map<string, number>, idf: (term: string) => number): number {
  const known = norms.get(v);
  if (known?.idf === idf) return known.norm;
  let norm = 0;
  for (const [t, w] of v) {
    const x = w * idf(t);
    norm += x * x;
  }
  norms.set(v, { idf, norm });
  return norm;
}

/** A vector changed in place: its remembered norm is stale. */
export function forgetNorm(v: Map<string, number>): void {
  norms.delete(v);
}

/**
 * Cosine similarity of two term vectors weighted by inverse document frequency; `bNorm`, when given,
 * is `squaredNorm(b, idf)`.
 */
export function cosine(
  a: Map<string, number>,
  b: Map<string, number>,
  idf: (term: string) => number,
  bNorm?: number,
): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, w] of a) {
    const x = w * idf(t);
    na += x * x;
    const wb = b.get(t);
    if (wb !== undefined) dot += x * wb * idf(t);
  }
  if (bNorm !== undefined) nb = bNorm;
  else
    for (const [t, w] of b) {
      const x = w * idf(t);
      nb += x * x;
    }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
