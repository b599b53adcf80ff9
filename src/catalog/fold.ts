import { isHan, simplifyHan } from './simplify-han.js';

const cache = new Map<string, string>();

function foldChar(c: string): string {
  let f = cache.get(c);
  if (f === undefined) {
    if (isHan(c.charCodeAt(0))) {
      f = simplifyHan(c);
      cache.set(c, f);
      return f;
    }
    const base = c.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    f = base.length === 1 ? base.toLowerCase() : c.toLowerCase();
    if (f.length !== 1) f = c; // keep one code unit per code unit, so offsets map back to the original
    if (f === '-' || f === '_' || /\s/.test(f)) f = ' ';
    cache.set(c, f);
  }
  return f;
}

/**
 * Folds text for matching without changing its length: lower case, diacritics and full-width forms
 * removed, traditional Han characters simplified, and every separator (space, hyphen, underscore, non-breaking space) turned into a space, so
 * "DeepSeek-V4", "deepseek v4" and "ＤｅｅｐＳｅｅｋ_V4" read alike and offsets still point into the original.
 */
export function foldForMatch(text: string): string {
  // Most feed text is ASCII: native lower-casing and one replace are much faster than a loop.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range test needs the whole range
  if (/^[\u0000-\u007f]*$/.test(text)) return text.toLowerCase().replace(/[-_\t\n\r]/g, ' ');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      if (code >= 65 && code <= 90) out += String.fromCharCode(code + 32);
      else if (code === 45 || code === 95 || code === 9 || code === 10 || code === 13) out += ' ';
      else out += text[i];
    } else if (
      code === 0xa0 ||
      code === 0x2010 ||
      code === 0x2011 ||
      code === 0x2013 ||
      code === 0x2014 ||
      code === 0x3000
    )
      out += ' ';
    else out += foldChar(text[i] as string);
  }
  return out;
}

/** True for letters and digits in any script. */
export function isWordChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  return /[\p{L}\p{N}]/u.test(c);
}

export function isLetter(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  return /\p{L}/u.test(c);
}

export const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/;
