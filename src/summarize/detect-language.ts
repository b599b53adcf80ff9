/**
 * A report's language when its feed does not declare one, from its title and opening: the script first
 * (Han, kana, Hangul, Cyrillic, Arabic…), then, for Latin script, the commonest function words of the
 * languages the feeds use. Returns a primary subtag (`en`, `es`, `zh`…) or null when it cannot tell.
 */
const SCRIPTS: [RegExp, string][] = [
  [/[\u3040-\u30ff]/g, 'ja'],
  [/[\uac00-\ud7af]/g, 'ko'],
  [/[\u4e00-\u9fff\u3400-\u4dbf]/g, 'zh'],
  [/[\u0400-\u04ff]/g, 'ru'],
  [/[\u0600-\u06ff]/g, 'ar'],
  [/[\u0590-\u05ff]/g, 'he'],
  [/[\u0e00-\u0e7f]/g, 'th'],
];

const WORDS: Record<string, string[]> = {
  en: 'the of and to in is for that with on its this by from are was has have as it be will an'.split(' '),
  es: 'el la de que los las en del por con una para es su se al lo como más pero sus ha'.split(' '),
  pt: 'o a de que os as em do da dos das no na por com uma para é seu sua não mais foi'.split(' '),
  fr: 'le la les de des du et est une un pour dans que qui sur au avec par pas plus'.split(' '),
  de: 'der die das und ist den dem des ein eine mit für von auf nicht im sich zu auch'.split(' '),
  it: 'il la di che e gli le del della per un una con non sono è dei al nel anche'.split(' '),
};
const INDEX = new Map<string, string[]>();
for (const [lang, words] of Object.entries(WORDS)) for (const w of words) INDEX.set(w, [...(INDEX.get(w) ?? []), lang]);

export function detectLanguage(text: string): string | null {
  const sample = text.slice(0, 600);
  let best: string | null = null;
  let most = 0;
  for (const [re, lang] of SCRIPTS) {
    const n = sample.match(re)?.length ?? 0;
    // Japanese writes Han too: a little kana is enough to tell it from Chinese.
    const weight = lang === 'ja' ? n * 4 : n;
    if (weight > most) {
      most = weight;
      best = lang;
    }
  }
  if (best && most >= 4) return best;
  const score = new Map<string, number>();
  for (const w of sample.toLowerCase().match(/\p{L}+/gu) ?? [])
    for (const lang of INDEX.get(w) ?? []) score.set(lang, (score.get(lang) ?? 0) + 1);
  const ranked = [...score].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || first[1] < 2 || (second && second[1] === first[1])) return null;
  return first[0];
}

/** The primary subtag of a BCP 47 tag, lower case: `zh-Hant-TW` → `zh`. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  const p = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return p && /^[a-z]{2,3}$/.test(p) ? p : null;
}
