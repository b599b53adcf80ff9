import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import { parseFeed } from '../../src/feeds/parse-feed.js';

const BASE = 'https://news.example.com/feeds/main.xml';

describe('parseFeed', () => {
  it('reads RSS 2.0 items with content:encoded, guid, dates and categories', async () => {
    const f = await parseFeed(
      `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel><title>Lab news</title><link>https://lab.example/</link><language>en-us</language>
        <item><title>DeepSeek-V4 released</title><link>https://lab.example/v4</link><guid isPermaLink="false">id-1</guid>
          <pubDate>Fri, 24 Apr 2026 10:00:00 GMT</pubDate><dc:creator>Ann</dc:creator><category>models</category>
          <description>short</description><content:encoded><![CDATA[<p>Full <b>text</b></p>]]></content:encoded></item>
        </channel></rss>`,
      BASE,
    );
    expect(f).toMatchObject({ format: 'rss', title: 'Lab news', language: 'en-us' });
    expect(f.items[0]).toMatchObject({
      guid: 'id-1',
      title: 'DeepSeek-V4 released',
      link: 'https://lab.example/v4',
      html: '<p>Full <b>text</b></p>',
      date: 'Fri, 24 Apr 2026 10:00:00 GMT',
      author: 'Ann',
      categories: ['models'],
    });
  });

  it('reads the text of items that have no body from itunes:summary, dc:description and Media RSS', async () => {
    const f = await parseFeed(
      `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/"
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
        <channel><title>Pod</title>
        <item><guid>e1</guid><itunes:summary><![CDATA[<p>We talk to the <b>DeepSeek</b> team.</p>]]></itunes:summary></item>
        <item><guid>e2</guid><dc:description>Dublin Core text</dc:description></item>
        <item><guid>e3</guid><media:group><media:description>Plain &lt;b&gt; text</media:description></media:group></item>
        <item><guid>e4</guid><media:description type="html">&lt;i&gt;html&lt;/i&gt;</media:description></item>
        <item><guid>e5</guid><itunes:subtitle>Only a subtitle</itunes:subtitle></item>
        <item><guid>e6</guid><content:encoded>  </content:encoded><description>The description, not the blank body</description></item>
        <item><guid>e7</guid><description>Description first</description><itunes:summary>Summary second</itunes:summary></item>
        </channel></rss>`,
      BASE,
    );
    expect(f.items.map((i) => i.html)).toEqual([
      '<p>We talk to the <b>DeepSeek</b> team.</p>',
      'Dublin Core text',
      'Plain &lt;b&gt; text',
      '<i>html</i>',
      'Only a subtitle',
      'The description, not the blank body',
      'Description first',
    ]);
  });

  it('reads RSS 0.91, RSS without a version and RSS 1.0 (RDF)', async () => {
    const v091 = await parseFeed(
      '<rss version="0.91"><channel><title>c</title><item><title>old</title><link>http://a.example/1</link></item></channel></rss>',
    );
    expect(v091.items.map((i) => i.title)).toEqual(['old']);
    const none = await parseFeed(
      '<rss><channel><title>c</title><item><title>no version</title></item></channel></rss>',
    );
    expect(none.items.map((i) => i.title)).toEqual(['no version']);
    const rdf = await parseFeed(
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="x"><title>RDF</title><link>http://r.example/</link></channel>
        <item rdf:about="http://r.example/1"><title>One</title><link>http://r.example/1</link><dc:date>2026-02-16T08:00:00Z</dc:date></item>
       </rdf:RDF>`,
    );
    expect(rdf.items[0]).toMatchObject({ title: 'One', link: 'http://r.example/1', date: '2026-02-16T08:00:00Z' });
  });

  it('reads Atom 1.0: alternate link, xhtml content, text titles, bad dates without crashing', async () => {
    const f = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">A &amp; B</title><link rel="self" href="/self"/><link href="https://a.example/"/>
        <entry><title type="html">&lt;em&gt;Qwen3.5&lt;/em&gt; is out</title><id>urn:1</id>
          <link rel="edit" href="https://a.example/edit/1"/><link rel="alternate" type="text/html" href="https://a.example/qwen35"/>
          <published>not a date</published><updated>2026-02-16T08:00:00Z</updated>
          <author><name>Qwen Team</name></author>
          <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Open weights</p></div></content></entry>
        <entry><title type="text">&lt;b&gt; is literal</title><id>urn:2</id></entry></feed>`,
      BASE,
    );
    expect(f.format).toBe('atom');
    expect(f.title).toBe('A & B');
    expect(f.items[0]).toMatchObject({
      guid: 'urn:1',
      link: 'https://a.example/qwen35',
      author: 'Qwen Team',
      date: 'not a date',
    });
    expect(f.items[0]?.title).toBe('<em>Qwen3.5</em> is out');
    expect(f.items[0]?.html).toContain('Open weights');
    expect(f.items[1]?.title).toBe('&lt;b&gt; is literal');
  });

  it('reads Atom 0.3 with base64 content', async () => {
    const f = await parseFeed(
      `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title>
        <entry><title>E</title><link rel="alternate" href="http://o.example/e"/><issued>2004-01-01T00:00:00Z</issued>
        <content mode="base64" type="text/html">${Buffer.from('<p>decoded</p>').toString('base64')}</content></entry></feed>`,
    );
    expect(f.items[0]).toMatchObject({
      link: 'http://o.example/e',
      html: '<p>decoded</p>',
      date: '2004-01-01T00:00:00Z',
    });
  });

  it('resolves relative links against xml:base, then the feed URL', async () => {
    const f = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/blog/"><title>t</title>
        <entry><title>1</title><link href="post-1"/></entry>
        <entry xml:base="/other/"><title>2</title><link href="post-2"/></entry></feed>`,
      BASE,
    );
    expect(f.items.map((i) => i.link)).toEqual([
      'https://base.example/blog/post-1',
      'https://base.example/other/post-2',
    ]);
    const r = await parseFeed(
      '<rss version="2.0"><channel><title>t</title><item><title>x</title><link>/x/1</link></item></channel></rss>',
      BASE,
    );
    expect(r.items[0]?.link).toBe('https://news.example.com/x/1');
  });

  it('reads JSON Feed 1.0 and 1.1', async () => {
    const f = await parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'JF',
        home_page_url: 'https://j.example/',
        items: [
          {
            id: 1,
            url: '/p/1',
            title: 'Kimi K2.6',
            content_text: 'a < b',
            date_published: '2026-04-20T00:00:00Z',
            authors: [{ name: 'M' }],
          },
          'garbage',
          { id: '2', content_html: '<p>untitled</p>' },
        ],
      }),
      'https://j.example/feed.json',
    );
    expect(f.format).toBe('json');
    expect(f.items).toHaveLength(2);
    expect(f.items[0]).toMatchObject({
      guid: '1',
      link: 'https://j.example/p/1',
      title: 'Kimi K2.6',
      html: 'a &lt; b',
      author: 'M',
    });
  });

  it('reads a feed that nests inline markup 50,000 levels deep instead of overflowing the stack', async () => {
    const deep = `<rss version="2.0"><channel><item><title>Deep</title><link>https://e.com/d</link><description>${'<b>'.repeat(50_000)}x${'</b>'.repeat(50_000)}</description></item></channel></rss>`;
    const feed = await parseFeed(deep);
    expect(feed.items.map((i) => i.title)).toEqual(['Deep']);
    // Markup deeper than any article is cut: the item keeps its first 100 levels.
    expect(feed.items[0]?.html?.match(/<b>/g)?.length).toBe(100);
  });

  it('does not expand entities declared in a DOCTYPE (billion laughs)', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
      <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY ext SYSTEM "file:///etc/passwd">]>
      <rss version="2.0"><channel><title>t</title><item><title>&lol3; &ext;</title></item></channel></rss>`;
    const f = await parseFeed(bomb);
    expect(f.items[0]?.title).toBe('&lol3; &ext;');
  });

  it('reads a feed that carries a stray XHTML doctype before its <rss> root', async () => {
    const f = await parseFeed(
      '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://site.invalid/">\n<rss><channel><title>found</title><item><title>Qwen 3.5</title></item></channel></rss>',
    );
    expect(f.title).toBe('found');
    expect(f.items.map((i) => i.title)).toEqual(['Qwen 3.5']);
  });

  it('reads items placed straight under the root with no <channel>, in RSS 2.0 and RSS 1.0', async () => {
    const rss = await parseFeed(
      '<rss>\n<item><title>Kimi K2.6</title><description>&lt;!\' &lt;a href="foo"&gt;</description></item>\n<item><title>GLM-5</title></item>\n</rss>',
    );
    expect(rss.items.map((i) => i.title)).toEqual(['Kimi K2.6', 'GLM-5']);
    expect(rss.items[0]?.html).toBe('<!\' <a href="foo">');
    const rdf = await parseFeed(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="https://e.com/1"><title>Qwen 3.5</title><link>https://e.com/1</link></item></rdf:RDF>',
    );
    expect(rdf.items.map((i) => [i.title, i.link])).toEqual([['Qwen 3.5', 'https://e.com/1']]);
    // A root with neither channel nor items is simply empty.
    expect((await parseFeed('<rss version="2.0"></rss>')).items).toEqual([]);
  });

  it('accepts HTML entities, bare ampersands and control characters that strict XML rejects', async () => {
    const f = await parseFeed(
      '<rss version="2.0"><channel><title>t</title><item><title>R&D &mdash; caf&eacute;\u0001 &#0;</title></item></channel></rss>',
    );
    expect(f.items[0]?.title).toBe('R&D — café ');
  });

  it.each([
    ['empty', '', /empty/],
    ['HTML page', '<!DOCTYPE html><html><head></head><body>hi</body></html>', /HTML page/],
    [
      'HTML page without a doctype',
      '<?xml version="1.0"?>\n<!-- a --><html lang="en"><body>hi</body></html>',
      /HTML page/,
    ],
    ['only comments', '<?xml version="1.0"?>\n<!-- nothing here -->\n', /no elements, only a declaration or comments/],
    ['not a feed', '<note><to>x</to></note>', /not an RSS, Atom or RDF feed \(its root element is <note>\)/],
    ['truncated', '<rss version="2.0"><channel><title>t</title><item><title>cut', /not a readable/],
    ['plain text', 'Service unavailable', /neither XML nor JSON/],
    ['JSON that is not a feed', '{"error":"nope"}', /not a JSON Feed/],
    ['broken JSON', '{"version": ', /not valid JSON/],
  ])('fails with a clear feed_parse error on %s', async (_name, text, message) => {
    const err = await parseFeed(text).catch((e: unknown) => e);
    expect(isAppError(err, 'feed_parse')).toBe(true);
    expect((err as Error).message).toMatch(message);
  });
});
