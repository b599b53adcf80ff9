import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import { exportOpml, parseOpml } from '../../src/feeds/opml.js';

describe('parseOpml', () => {
  it('reads nested outlines as tags, category attributes too, and reports duplicates and bad URLs', () => {
    const r = parseOpml(`<?xml version="1.0"?><opml version="1.0"><head><title>Mine</title></head><body>
      <outline text="Labs"><outline text="China"><outline text="Qwen" xmlUrl="https://qwen.example/feed" category="open,cn"/></outline>
        <outline title="OpenAI" xmlurl="https://openai.example/rss.xml" htmlUrl="https://openai.example"/></outline>
      <outline text="dup" xmlUrl="https://qwen.example/feed"/>
      <outline text="bad" xmlUrl="javascript:alert(1)"/>
      <outline text="Top" xmlUrl="https://top.example/feed"/></body></opml>`);
    expect(r.title).toBe('Mine');
    expect(r.feeds).toEqual([
      { url: 'https://qwen.example/feed', title: 'Qwen', siteUrl: null, tags: ['Labs', 'China', 'open', 'cn'] },
      { url: 'https://openai.example/rss.xml', title: 'OpenAI', siteUrl: 'https://openai.example', tags: ['Labs'] },
      { url: 'https://top.example/feed', title: 'Top', siteUrl: null, tags: [] },
    ]);
    expect(r.duplicates).toEqual(['https://qwen.example/feed']);
    expect(r.invalid).toEqual(['javascript:alert(1)']);
  });

  it('round-trips through export', () => {
    const feeds = [
      { url: 'https://a.example/feed?x=1&y=2', title: 'A & "B"', siteUrl: 'https://a.example/', tags: ['Labs', 'CN'] },
      { url: 'https://b.example/feed', title: null, siteUrl: null, tags: [] },
    ];
    const back = parseOpml(exportOpml(feeds, 'mine', new Date('2026-11-20T00:00:00Z')));
    expect(back.feeds).toEqual([feeds[0], { ...feeds[1], title: 'https://b.example/feed' }]);
  });

  it('refuses documents that are not OPML', () => {
    expect(() => parseOpml('<rss/>')).toThrowError(/no <opml> root/);
    try {
      parseOpml('<opml><body><outline');
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'opml_invalid')).toBe(true);
    }
  });
});

describe('feeds/default.opml', () => {
  const r = parseOpml(readFileSync(new URL('../../feeds/default.opml', import.meta.url), 'utf8'));
  it('lists at least 40 distinct http(s) feeds with no duplicates', () => {
    expect(r.feeds.length).toBeGreaterThanOrEqual(40);
    expect(r.duplicates).toEqual([]);
    expect(r.invalid).toEqual([]);
  });
  it('covers labs, model lists, analysts, press, China, research and community, and Spanish and Chinese sources', () => {
    const tags = new Set(r.feeds.flatMap((f) => f.tags));
    for (const t of ['Labs', 'Models', 'Analysts', 'Press', 'China', 'Spanish', 'Community', 'Research'])
      expect(tags).toContain(t);
    expect(r.feeds.filter((f) => f.tags.includes('Spanish')).length).toBeGreaterThanOrEqual(2);
    expect(r.feeds.filter((f) => /[\u4e00-\u9fff]|zh-CN/.test(`${f.title}${f.url}`)).length).toBeGreaterThanOrEqual(2);
    expect(r.feeds.some((f) => f.url.startsWith('https://openrouter.ai/'))).toBe(true);
  });
});
