import { Converter } from 'opencc-js/t2cn';

let convert: ((s: string) => string) | undefined;
const cache = new Map<string, string>();

/**
 * The simplified form of one Han character ("譜" → "谱", "輝" → "辉"), so names and words written in
 * Taiwan or Hong Kong match the catalog and the clustering of mainland reports. One character in, one
 * out: offsets into the original text stay valid. OpenCC's table loads on the first Han character seen.
 */
export function simplifyHan(c: string): string {
  let s = cache.get(c);
  if (s === undefined) {
    convert ??= Converter({ from: 't', to: 'cn' }) as (s: string) => string;
    const out = convert(c);
    s = out.length === c.length ? out : c;
    cache.set(c, s);
  }
  return s;
}

/** True for the CJK Unified Ideographs the table covers (BMP). */
export function isHan(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff);
}
