import { describe, expect, it } from 'vitest';
import type { ParsedItem } from '../../src/core/types.js';
import { canonicalUrl } from '../../src/feeds/canonical-url.js';
import { htmlToPlain } from '../../src/feeds/html-to-plain.js';
import { normalizeItem } from '../../src/feeds/normalize-item.js';
import { parseDate } from '../../src/feeds/parse-date.js';

const now = new Date('2026-11-20T08:00:00Z');
const item = (p: Partial<ParsedItem>): ParsedItem => ({
  guid: null,
  title: null,
  link: null,
  html: null,
  date: null,
  author: null,
  categories: [],
  language: null,
  ...p,
});

describe('canonicalUrl', () => {
  it.each([
    ['lower-cases the host and drops the fragment', 'https://Example.COM/Path#top', 'https://example.com/Path'],
    [
      'drops tracking parameters and keeps real ones',
      'https://e.com/a?utm_source=x&id=5&fbclid=1&gclid=2&mc_cid=3&ref=hn',
      'https://e.com/a?id=5',
    ],
    ['sorts the remaining parameters', 'https://e.com/a?b=2&a=1', 'https://e.com/a?a=1&b=2'],
    ['drops the default port and trailing slash', 'https://e.com:443/post/', 'https://e.com/post'],
    ['keeps the root slash', 'https://e.com/', 'https://e.com/'],
    ['drops a session id (?sid=)', 'https://e.com/a?sid=9f3c1e2ab77d&id=5', 'https://e.com/a?id=5'],
    [
      'drops server session parameters',
      'https://e.com/a?PHPSESSID=1&sessionid=2&session_id=3&ASPSESSIONIDQQGG=4&CFID=5&CFTOKEN=6&jsessionid=7&id=8',
      'https://e.com/a?id=8',
    ],
    ['drops a ;jsessionid= path parameter', 'https://e.com/a/b;jsessionid=0A1B2C?x=1', 'https://e.com/a/b?x=1'],
    ['drops ASP.NET cookieless sessions', 'https://e.com/(S(lit3py55t21z5v55vlm25s55))/p.aspx', 'https://e.com/p.aspx'],
    ['keeps a story id named sid (PHP-Nuke)', 'https://e.com/modules.php?sid=123', 'https://e.com/modules.php?sid=123'],
    [
      'keeps a date-path sid (Slashdot)',
      'https://e.com/article.pl?sid=05/01/01/1234',
      'https://e.com/article.pl?sid=05%2F01%2F01%2F1234',
    ],
  ])('%s', (_n, input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('refuses non-http(s) URLs', () => {
    expect(canonicalUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalUrl('mailto:a@b.c')).toBeNull();
  });
});

describe('parseDate', () => {
  it.each([
    ['RFC 822', 'Fri, 24 Apr 2026 10:00:00 GMT', '2026-04-24T10:00:00.000Z'],
    ['RFC 822 with a named US zone', 'Fri, 24 Apr 2026 10:00:00 PST', '2026-04-24T18:00:00.000Z'],
    ['RFC 822 with numeric offset', 'Fri, 24 Apr 2026 10:00:00 +0200', '2026-04-24T08:00:00.000Z'],
    ['no weekday, full month', '24 April 2026 10:00:00 GMT', '2026-04-24T10:00:00.000Z'],
    ['Spanish month name', 'vie, 24 abr 2026 10:00:00 GMT', '2026-04-24T10:00:00.000Z'],
    ['Portuguese month name', 'Sex, 24 Set 2026 10:00:00 -0300', '2026-09-24T13:00:00.000Z'],
    ['two-digit year', '24 Apr 26 10:00 GMT', '2026-04-24T10:00:00.000Z'],
    ['ISO 8601 with offset', '2026-04-24T10:00:00+02:00', '2026-04-24T08:00:00.000Z'],
    ['ISO 8601 with nanoseconds', '2026-04-24T10:00:00.123456789Z', '2026-04-24T10:00:00.000Z'],
    ['W3C-DTF date only', '2026-04-24', '2026-04-24T00:00:00.000Z'],
    ['US style', '04/24/2026 10:00', '2026-04-24T10:00:00.000Z'],
  ])('%s', (_n, raw, iso) => {
    expect(parseDate(raw)?.toISOString()).toBe(iso);
  });

  it('returns null for nonsense', () => {
    expect(parseDate('yesterday-ish')).toBeNull();
    expect(parseDate('')).toBeNull();
  });
});

describe('htmlToPlain', () => {
  it('drops markup, scripts, images and generator boilerplate', () => {
    const html = `<p>Mistral released <b>Mistral Large 3</b>.</p><script>alert(1)</script><img src="x.png" onerror="x">
      <p>Continue reading →</p><p>The post Mistral Large 3 appeared first on AI Weekly.</p>`;
    expect(htmlToPlain(html)).toBe('Mistral released Mistral Large 3.');
  });

  it('collapses whitespace and keeps paragraphs on separate lines', () => {
    expect(htmlToPlain('<p>One&nbsp; two</p><p>Three</p>')).toBe('One two\nThree');
    // Tabs, carriage returns, no-break, ideographic and zero-width spaces inside a line; blank lines between.
    expect(htmlToPlain('  Qwen\t3.5 \r\n\n\n ships\u00a0\u00a0today\u200b \u3000now\u0007 ')).toBe(
      'Qwen 3.5\nships today now',
    );
    expect(htmlToPlain('Plain text with no markup stays as it is.')).toBe('Plain text with no markup stays as it is.');
  });

  it('drops boilerplate lines in any case and language, keeps a long line that merely starts like one', () => {
    const tail = 'The post GLM-5 is out appeared first on AI Weekly.';
    expect(htmlToPlain(`<p>GLM-5 ships.</p><p>${tail}</p><p>CONTINUE READING →</p><p>阅读全文</p>`)).toBe(
      'GLM-5 ships.',
    );
    const long = `Read more about it: ${'DeepSeek shipped a model. '.repeat(30)}`.trim();
    expect(htmlToPlain(`<p>${long}</p>`)).toBe(long);
    expect(htmlToPlain('<p>Kimi K2.6 is out [...]</p>')).toBe('Kimi K2.6 is out…');
  });
});

describe('normalizeItem', () => {
  it('builds identity from the guid, so re-dating or editing an entry keeps its hash', () => {
    const a = normalizeItem(item({ guid: 'g1', title: 'T', date: '2026-11-19T00:00:00Z' }), { now });
    const b = normalizeItem(item({ guid: 'g1', title: 'T (updated)', date: '2026-11-20T00:00:00Z' }), { now });
    expect(a?.contentHash).toBe(b?.contentHash);
  });

  it('falls back to the canonical link, then to title and text', () => {
    const a = normalizeItem(item({ link: 'https://e.com/a?utm_source=rss', title: 'T' }), { now });
    const b = normalizeItem(item({ link: 'https://e.com/a#x', title: 'T2' }), { now });
    expect(a?.contentHash).toBe(b?.contentHash);
    const c = normalizeItem(item({ title: 'Same', html: 'body' }), { now });
    const d = normalizeItem(item({ title: 'Same', html: 'body' }), { now });
    const e = normalizeItem(item({ title: 'Same', html: 'other body' }), { now });
    expect(c?.contentHash).toBe(d?.contentHash);
    expect(c?.contentHash).not.toBe(e?.contentHash);
  });

  it('uses the first-seen time for missing dates and clamps far-future ones', () => {
    expect(normalizeItem(item({ title: 'x' }), { now })).toMatchObject({
      publishedAt: now.toISOString(),
      dateSource: 'first-seen',
    });
    expect(normalizeItem(item({ title: 'x', date: '2031-01-01T00:00:00Z' }), { now })).toMatchObject({
      publishedAt: now.toISOString(),
      dateSource: 'clamped',
    });
    expect(normalizeItem(item({ title: 'x', date: 'Fri, 20 Nov 2026 07:00:00 GMT' }), { now })).toMatchObject({
      dateSource: 'feed',
    });
  });

  it('derives a title from the text when the entry has none, and skips empty entries', () => {
    expect(normalizeItem(item({ html: '<p>GLM-5.2 ships under MIT.</p>' }), { now })?.title).toBe(
      'GLM-5.2 ships under MIT.',
    );
    expect(normalizeItem(item({}), { now })).toBeNull();
  });

  it('only keeps http(s) links', () => {
    expect(normalizeItem(item({ title: 'x', link: 'javascript:alert(1)' }), { now })?.url).toBeNull();
  });
});
