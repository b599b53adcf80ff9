import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/feeds/decode-body.js';

const TEXT = 'Qwen 通义千问 — ñandú, Привет, 日本語';
const xml = (enc: string, body: string) => `<?xml version="1.0" encoding="${enc}"?><rss><title>${body}</title></rss>`;

describe('decodeBody', () => {
  it.each([
    ['windows-1252', 'Caf\u00e9 \u2014 ma\u00f1ana'],
    ['iso-8859-1', 'Caf\u00e9 ma\u00f1ana'],
    ['gb2312', '通义千问 深度求索'],
    ['gbk', '月之暗面 智谱'],
    ['gb18030', '通义千问'],
    ['big5', '繁體中文 模型'],
    ['shift_jis', '日本語のモデル'],
    ['euc-jp', '日本語のモデル'],
    ['euc-kr', '한국어 모델'],
    ['koi8-r', 'Привет мир'],
    ['windows-1251', 'Привет мир'],
  ])('reads %s from the XML declaration', (enc, text) => {
    const bytes = iconv.encode(xml(enc, text), enc);
    expect(decodeBody(bytes).text).toContain(text);
  });

  it('prefers the HTTP charset over the XML declaration', () => {
    const bytes = iconv.encode(xml('utf-8', 'Привет'), 'koi8-r');
    expect(decodeBody(bytes, 'text/xml; charset=KOI8-R').text).toContain('Привет');
  });

  it.each(['utf-16le', 'utf-16be', 'utf-32le', 'utf-32be'])(
    'reads %s with a byte-order mark, whatever HTTP says',
    (enc) => {
      const bytes = iconv.encode(xml(enc, TEXT), enc, { addBOM: true });
      const out = decodeBody(bytes, 'text/xml; charset=utf-8');
      expect(out.text.startsWith('<?xml')).toBe(true);
      expect(out.text).toContain(TEXT);
    },
  );

  it('detects UTF-16 without a BOM from the first bytes', () => {
    const bytes = iconv.encode(xml('utf-16', TEXT), 'utf-16le');
    expect(decodeBody(bytes).text).toContain(TEXT);
  });

  it('defaults to UTF-8 and ignores unknown labels', () => {
    expect(decodeBody(Buffer.from(xml('x-made-up', TEXT))).text).toContain(TEXT);
    expect(decodeBody(Buffer.from(`\uFEFF${xml('utf-8', TEXT)}`)).text.startsWith('<?xml')).toBe(true);
  });
});
