import Parser from 'rss-parser';
import { AppError } from '../core/errors.js';
import type { ParsedFeed, ParsedItem } from '../core/types.js';
import { cleanXml } from './clean-xml.js';
import { parseJsonFeed } from './parse-json-feed.js';
import { attrs, firstText, nodeText } from './xml-node-text.js';
import { useXmlTree } from './xml-tree.js';

type Raw = Record<string, unknown>;

// We read every item field ourselves (the x-fields below), so rss-parser only finds the feed's items.
// Under its own names it would convert Atom dates with `new Date(x).toISOString()`, which throws on a
// bad date; read `link.$.rel` without checking; turn every body into a regex-stripped "snippet" (a sixth
// of a bare parse); re-serialize XHTML bodies with xml2js's builder; and parse every date again.
// Renamed, it skips all of that. (nodeText drops the prefix when it re-serializes inline markup.)
const RENAMED = new Map([
  ['link', 'ai:link'],
  ['published', 'ai:published'],
  ['updated', 'ai:updated'],
  ['description', 'ai:description'],
  ['content:encoded', 'ai:encoded'],
  ['content', 'ai:content'],
  ['summary', 'ai:summary'],
  ['title', 'ai:title'],
  ['pubDate', 'ai:pubDate'],
  ['dc:date', 'ai:date'],
  ['guid', 'ai:guid'],
  ['id', 'ai:id'],
  ['dc:creator', 'ai:creator'],
  ['author', 'ai:author'],
  ['category', 'ai:category'],
]);
/** Reads an element (under its new name when it is renamed) into `to`, as xml2js's array of nodes. */
const keep = (from: string, to: string) =>
  [RENAMED.get(from) ?? from, to, { keepArray: true }] as [string, string, { keepArray: boolean }];
const ITEM_FIELDS = [
  keep('link', 'xLink'),
  keep('title', 'xTitle'),
  keep('dc:title', 'xDcTitle'),
  keep('description', 'xDescription'),
  keep('content:encoded', 'xEncoded'),
  keep('content', 'xContent'),
  keep('summary', 'xSummary'),
  keep('published', 'xPublished'),
  keep('updated', 'xUpdated'),
  keep('issued', 'xIssued'),
  keep('modified', 'xModified'),
  keep('created', 'xCreated'),
  keep('pubDate', 'xPubDate'),
  keep('dc:date', 'xDcDate'),
  keep('guid', 'xGuid'),
  keep('id', 'xId'),
  keep('dc:creator', 'xCreator'),
  keep('author', 'xAuthor'),
  keep('category', 'xCategory'),
  keep('dc:language', 'xLanguage'),
  // Where feeds without a body put their text: podcasts (itunes:*), Media RSS and YouTube (media:*).
  keep('dc:description', 'xDcDescription'),
  keep('itunes:summary', 'xItunesSummary'),
  keep('itunes:subtitle', 'xItunesSubtitle'),
  keep('media:description', 'xMediaDescription'),
  keep('media:group', 'xMediaGroup'),
  keep('$', 'xAttrs'),
];
const FEED_FIELDS = [
  keep('link', 'xLink'),
  keep('title', 'xTitle'),
  keep('language', 'xLanguage'),
  keep('$', 'xAttrs'),
];

// The lenient (non-strict) parser upper-cases names; these restore the mixed-case ones we read.
const MIXED_CASE = new Map(
  ['pubDate', 'lastBuildDate', 'managingEditor', 'webMaster', 'isPermaLink', 'rdf:RDF', 'rdf:about'].map((n) => [
    n.toLowerCase(),
    n,
  ]),
);

const FEED_NAMESPACES = [
  'http://www.w3.org/2005/Atom',
  'http://purl.org/atom/ns#',
  'http://purl.org/rss/1.0/',
  'http://backend.userland.com/rss2',
  'http://blogs.law.harvard.edu/tech/rss',
];

/**
 * The prefix the root element carries when the feed's own vocabulary is written with one
 * (`<a:feed xmlns:a="…Atom">`, `<rss:channel>` in RSS 1.0); rss-parser only knows bare names.
 */
function feedPrefix(xml: string): string | null {
  const root = /^([A-Za-z_][\w.-]*):(feed|rss|RDF)$/.exec(rootElement(xml));
  const candidates = new Set<string>();
  if (root?.[1] && root[1] !== 'rdf') candidates.add(root[1]);
  for (const m of xml.slice(0, 4000).matchAll(/xmlns:([\w.-]+)\s*=\s*["']([^"']+)["']/g)) {
    if (
      FEED_NAMESPACES.includes((m[2] as string).trim()) &&
      (candidates.has(m[1] as string) || /^(rss|r)$/.test(m[1] as string))
    ) {
      if (!root || root[1] === m[1] || root[1] === 'rdf') return m[1] as string;
    }
  }
  return null;
}

const PROLOG =
  /^(?:\s*<\?[^>]*>|\s*<!--[\s\S]*?-->|\s*<!DOCTYPE(?:[^[>]*\[[\s\S]*?\]\s*>|[^>]*>))*\s*<([A-Za-z_][\w:.-]*)/i;

/** The name of the document's root element, past the XML declaration, comments and DOCTYPE. */
function rootElement(xml: string): string {
  return PROLOG.exec(xml.slice(0, 20_000))?.[1] ?? '?';
}

function createParser(strict: boolean, prefix: string | null): Parser<Raw, Raw> {
  const restore = (name: string) => (strict ? name : (MIXED_CASE.get(name.toLowerCase()) ?? name.toLowerCase()));
  const strip = (name: string) => (prefix && name.startsWith(`${prefix}:`) ? name.slice(prefix.length + 1) : name);
  const xml2js = {
    strict,
    tagNameProcessors: [
      (name: string) => {
        const bare = strip(restore(name));
        return RENAMED.get(bare) ?? bare;
      },
    ],
    attrNameProcessors: [restore],
  };
  const parser = new Parser<Raw, Raw>({
    defaultRSS: 2,
    xml2js,
    customFields: { feed: FEED_FIELDS as never, item: ITEM_FIELDS as never },
  });
  useXmlTree(parser, xml2js);
  return parser;
}

/**
 * Parses with a strict XML parser; when that fails, cleans the text (HTML entities, bare ampersands,
 * control characters, DOCTYPE) and tries again strictly, then leniently for truncated documents.
 * The strict parser never expands DTD entities, so trying the raw text first is safe, and it spares
 * the cleaning pass for the well-formed majority of feeds.
 */
async function parseXml(text: string): Promise<Raw> {
  const prefix = feedPrefix(text);
  try {
    return await createParser(true, prefix).parseString(text);
  } catch {}
  const xml = cleanXml(text);
  try {
    return await createParser(true, prefix).parseString(xml);
  } catch (strictError) {
    try {
      // A document cut off inside its last closing tag ("</rss") is common; close it.
      const repaired = xml.trimEnd().replace(/<\/([\w:]+)$/, '</$1>');
      return await createParser(false, prefix).parseString(repaired);
    } catch {
      throw strictError;
    }
  }
}

/**
 * Parses RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 (through rss-parser) and JSON Feed. Relative links are
 * resolved against xml:base or `baseUrl`. Throws AppError('feed_parse') with a readable reason.
 */
export async function parseFeed(text: string, baseUrl?: string): Promise<ParsedFeed> {
  const start = text.trimStart();
  if (start.startsWith('{')) return resolveLinks(parseJsonFeed(start), baseUrl);
  if (!start.startsWith('<')) {
    throw new AppError(
      'feed_parse',
      start.length === 0
        ? 'feeds: the document is empty'
        : 'feeds: the document is neither XML nor JSON (an HTML page or an error text?)',
    );
  }
  const root = rootElement(start);
  // The root element decides, not the DOCTYPE: some feeds carry a stray XHTML doctype before <rss>.
  const htmlDoctype = /^<!doctype\s+html[\s>]/i.test(start.slice(0, 1000).replace(/^<\?xml[^>]*>\s*/, ''));
  if (/^html$/i.test(root) || (htmlDoctype && !/^([\w.-]+:)?(rss|RDF|feed)$/.test(root))) {
    throw new AppError(
      'feed_parse',
      'feeds: the address serves an HTML page, not a feed; look for its RSS or Atom link',
    );
  }
  if (root === '?') {
    throw new AppError('feed_parse', 'feeds: the document holds no elements, only a declaration or comments');
  }
  let xml = start;
  if (/^([\w.-]+:)?(rss|RDF)$/.test(root) && !/<([\w.-]+:)?channel[\s>/]/.test(start)) {
    if (!/<([\w.-]+:)?item[\s>/]/.test(start))
      return { format: 'rss', title: null, link: null, language: null, items: [] };
    // Items straight under the root with no <channel> (feedparser reads these too): give them one.
    xml = withChannel(start, root);
  }
  let raw: Raw;
  try {
    raw = await parseXml(xml);
  } catch (err) {
    const reason = String((err as Error)?.message ?? err)
      .split('\n')[0]
      ?.slice(0, 160);
    if (reason?.includes('not recognized')) {
      throw new AppError(
        'feed_parse',
        `feeds: the XML document is not an RSS, Atom or RDF feed (its root element is <${root}>)`,
      );
    }
    throw new AppError('feed_parse', `feeds: not a readable RSS, Atom or JSON feed (${reason})`, { cause: err });
  }
  const isAtom =
    /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<([\w.-]+:)?feed[\s>]/.test(start) ||
    !!(raw.xAttrs as Raw | undefined)?.xmlns?.toString().includes('Atom');
  const feedBase = absolute(attrs({ $: raw.xAttrs })['xml:base'], baseUrl) ?? baseUrl;
  const items = ((raw.items as Raw[] | undefined) ?? []).map((i) => toItem(i, isAtom));
  const feed: ParsedFeed = {
    format: isAtom ? 'atom' : 'rss',
    title: clean(firstText(raw.xTitle)?.text) ?? clean(raw.title as string | undefined),
    link: pickLink(raw.xLink),
    language: clean(firstText(raw.xLanguage)?.text),
    items,
  };
  return resolveLinks(feed, feedBase, (raw.items as Raw[] | undefined) ?? []);
}

/**
 * The item's text: the first of its bodies that is not blank — content:encoded, Atom content,
 * description, Atom summary, then the fallbacks gofeed and feedparser read too (dc:description,
 * itunes:summary, Media RSS descriptions, itunes:subtitle), so a podcast episode whose only text is its
 * itunes:summary keeps it. Returns HTML (plain-text bodies escaped), or null.
 */
function itemBody(i: Raw): string | null {
  const group = (i.xMediaGroup as Raw[] | undefined)?.[0];
  const groupDescription = group && typeof group === 'object' ? group['media:description'] : undefined;
  // [nodes, plain text unless the element says type="html"] — Media RSS descriptions are plain by default.
  const candidates: [unknown, boolean][] = [
    [i.xEncoded, false],
    [i.xContent, false],
    [i.xDescription, false],
    [i.xSummary, false],
    [i.xDcDescription, false],
    [i.xItunesSummary, false],
    [i.xMediaDescription, true],
    [groupDescription, true],
    [i.xItunesSubtitle, false],
  ];
  for (const [nodes, plainByDefault] of candidates) {
    if (nodes === undefined) continue;
    const body = firstText(nodes);
    if (!body || body.text.trim() === '') continue;
    const plain = body.type === 'text' || (plainByDefault && body.type !== 'html');
    return plain ? escapeText(body.text) : body.text;
  }
  return null;
}

function toItem(i: Raw, isAtom: boolean): ParsedItem {
  const html = itemBody(i);
  const guidNode = (i.xGuid as unknown[] | undefined)?.[0];
  const guid = clean(nodeText(guidNode)) ?? clean(firstText(i.xId)?.text);
  let link = pickLink(i.xLink);
  const guidIsLink = guidNode !== undefined && attrs(guidNode).isPermaLink?.toLowerCase() !== 'false';
  if (!link && guid && guidIsLink && /^https?:\/\//i.test(guid)) link = guid;
  const title = firstText(i.xTitle) ?? firstText(i.xDcTitle);
  const date = [i.xPublished, i.xPubDate, i.xDcDate, i.xIssued, i.xCreated, i.xUpdated, i.xModified]
    .map((d) => clean(firstText(d)?.text))
    .find(Boolean);
  const author =
    clean(firstText(i.xCreator)?.text) ??
    clean(nodeText((i.xAuthor as Raw[] | undefined)?.[0]?.name ?? (i.xAuthor as unknown[] | undefined)?.[0]));
  const categories = ((i.xCategory as unknown[] | undefined) ?? [])
    .map((c) => clean(nodeText(c)) ?? clean(attrs(c).term) ?? '')
    .filter(Boolean);
  void isAtom;
  return {
    guid,
    title: title ? (title.type === 'text' ? escapeText(title.text) : title.text) : null,
    link,
    html,
    date: date ?? null,
    author: author ?? null,
    categories,
    language: clean(firstText(i.xLanguage)?.text) ?? clean(attrs({ $: i.xAttrs })['xml:lang']) ?? null,
  };
}

/**
 * Adds the <channel> rss-parser needs: around the items in RSS 0.9x/2.0, and as an empty sibling of the
 * items in RSS 1.0, where items live outside the channel anyway.
 */
function withChannel(xml: string, root: string): string {
  const open = new RegExp(`<${root.replace(/\./g, '\\.')}(?=[\\s>/])[^>]*>`).exec(xml);
  if (!open) return xml;
  const at = open.index + open[0].length;
  if (root.endsWith('RDF')) return `${xml.slice(0, at)}<channel></channel>${xml.slice(at)}`;
  const close = xml.lastIndexOf(`</${root}`);
  if (close < at) return `${xml.slice(0, at)}<channel>${xml.slice(at)}`;
  return `${xml.slice(0, at)}<channel>${xml.slice(at, close)}</channel>${xml.slice(close)}`;
}

/** Atom: the alternate (or first) link's href; RSS: the element's text. */
function pickLink(nodes: unknown): string | null {
  if (!Array.isArray(nodes) || nodes.length === 0) return null;
  const withHref = nodes.filter((n) => attrs(n).href !== undefined);
  if (withHref.length > 0) {
    const alt = withHref.find((n) => (attrs(n).rel ?? 'alternate') === 'alternate') ?? withHref[0];
    return clean(attrs(alt).href) ?? null;
  }
  for (const n of nodes) {
    const t = clean(nodeText(n));
    if (t) return t;
  }
  return null;
}

function resolveLinks(feed: ParsedFeed, base: string | undefined, rawItems: Raw[] = []): ParsedFeed {
  const feedLink = absolute(feed.link, base) ?? feed.link;
  const items = feed.items.map((it, idx) => {
    const itemBase = absolute(attrs({ $: rawItems[idx]?.xAttrs })['xml:base'], base) ?? base;
    return { ...it, link: absolute(it.link, itemBase) ?? (isAbsolute(it.link) ? it.link : null) };
  });
  return { ...feed, link: feedLink, items };
}

function isAbsolute(u: string | null): boolean {
  return !!u && /^[a-z][a-z0-9+.-]*:/i.test(u);
}

/** Resolves `u` against `base`, or returns null when that is impossible. */
function absolute(u: string | null | undefined, base: string | undefined): string | null {
  if (!u) return null;
  try {
    return new URL(u.trim(), base).toString();
  } catch {
    return null;
  }
}

function clean(s: string | null | undefined): string | null {
  if (typeof s !== 'string') return null;
  const t = s.trim();
  return t.length > 0 ? t : null;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
