import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/feeds/parse-feed.js';
import { readXmlTree, type XmlTreeOptions } from '../../src/feeds/xml-tree.js';
import { xml2jsTree } from '../helpers/xml2js-tree.js';

const OPTIONS: XmlTreeOptions = {
  strict: true,
  tagNameProcessors: [(n) => (n === 'link' ? 'ai:link' : n)],
  attrNameProcessors: [(n) => n],
};

async function expectSameAsXml2js(xml: string) {
  const fast = readXmlTree(xml, OPTIONS);
  const reference = await xml2jsTree(xml, OPTIONS);
  expect(fast).not.toBeNull();
  expect(reference.error).toBeUndefined();
  // Deep and strict: same keys, order-insensitive values, and the same null prototypes xml2js uses.
  expect(isDeepStrictEqual(fast, reference.tree)).toBe(true);
  expect(fast).toEqual(reference.tree);
  // Key order too (JSON keeps it): rss-parser serializes some nodes back to markup in key order.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(reference.tree));
}

describe('readXmlTree', () => {
  it('builds the very tree xml2js builds: attributes, CDATA, entities, repeats, empty and mixed content', async () => {
    await expectSameAsXml2js(`\ufeff<?xml version="1.0" encoding="utf-8"?>
<?xml-stylesheet href="s.xsl"?>
<!-- generator comment -->
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Lab &amp; Co &#x4E2D;&#20013; &lt;news&gt; &quot;q&quot; &apos;a&apos;</title>
    <link>https://example.com/</link>
    <atom:link href="https://example.com/feed?a=1&amp;b=2" rel="self" xmlns:atom="http://www.w3.org/2005/Atom"/>
    <item>
      <title><![CDATA[Qwen 3.5 <b>ships</b>]]></title>
      <description>&lt;p&gt;Open &lt;em&gt;weights&lt;/em&gt;&lt;/p&gt;</description>
      <guid isPermaLink='false'>tag:x,2026:1</guid>
      <category>open</category><category>china</category>
      <empty/><blank>   </blank><cdataBlank><![CDATA[  ]]></cdataBlank>
      <mixed>before <b>bold</b> after<!-- note --> tail</mixed>
      <constructor>c</constructor><toString>t</toString><__proto__>p</__proto__>
    </item>
    <item><title>Second</title></item>
  </channel>
</rss>
`);
  });

  it('reads Atom with prefixed names and xml:base like xml2js', async () => {
    await expectSameAsXml2js(
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://e.com/"><entry><title type="html">A &amp;amp; B</title><link rel="alternate" href="/a"/><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi</p></div></content></entry></feed>`,
    );
  });

  it.each([
    ['a DOCTYPE (entity declarations are for xml2js to refuse)', '<!DOCTYPE r [<!ENTITY a "b">]><rss>&a;</rss>'],
    ['an HTML entity', '<rss><t>a&nbsp;b</t></rss>'],
    ['a bare ampersand', '<rss><t>R&D</t></rss>'],
    ['a reference to a character XML forbids', '<rss><t>&#0;</t></rss>'],
    ['a mismatched end tag', '<rss><a></b></rss>'],
    ['an end tag with junk', '<rss><a></a junk></rss>'],
    ['an unclosed root', '<rss><channel></channel>'],
    ['an unquoted attribute', '<rss><a x=1></a></rss>'],
    ['an attribute without a value', '<rss><a checked></a></rss>'],
    ['a repeated attribute', '<rss><a x="1" x="2"></a></rss>'],
    ['attributes with no space between', '<rss><a x="1"y="2"></a></rss>'],
    ['text before the root', 'junk<rss></rss>'],
    ['a second root', '<rss></rss><rss></rss>'],
    ['an unencoded <', '<rss><t>a < b</t></rss>'],
    ['a comment with --', '<rss><!-- a -- b --></rss>'],
    ['an element named like xml2js bookkeeping', '<rss><_>x</_></rss>'],
  ])('declines %s, leaving it to xml2js', async (_what, xml) => {
    expect(readXmlTree(xml, OPTIONS)).toBeNull();
  });

  it('declines lenient mode and empty input', () => {
    expect(readXmlTree('<rss></rss>', { strict: false })).toBeNull();
    expect(readXmlTree('   ', OPTIONS)).toBeNull();
  });

  it('leaves declined feeds to the full parser, which still reads them', async () => {
    const feed = await parseFeed(
      '<?xml version="1.0"?><rss version="2.0"><channel><title>R&D&nbsp;news</title><item><title>Kimi&nbsp;K2.6</title><link>https://e.com/k</link></item></channel></rss>',
    );
    expect(feed.title).toBe('R&D\u00a0news');
    expect(feed.items.map((i) => i.title)).toEqual(['Kimi\u00a0K2.6']);
  });
});
