import { XMLParser } from 'fast-xml-parser';
import { AppError } from '../core/errors.js';
import { cleanXml } from './clean-xml.js';

/** One feed listed in an OPML file. */
export interface OpmlFeed {
  url: string;
  title: string | null;
  siteUrl: string | null;
  tags: string[];
}

/** An OPML file's feeds, with the entries skipped as duplicates or unusable. */
export interface OpmlImport {
  title: string | null;
  feeds: OpmlFeed[];
  duplicates: string[];
  invalid: string[];
}

type Outline = Record<string, unknown> & { outline?: Outline[] };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => name === 'outline',
  processEntities: true,
  htmlEntities: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
});

function lowerKeys(o: Outline): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

/**
 * Reads OPML 1.0/2.0: nested outlines become tags (as do `category` attributes); repeated feed URLs
 * are reported, not imported twice.
 */
export function parseOpml(xml: string): OpmlImport {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(cleanXml(xml.replace(/^\uFEFF/, '').trimStart())) as Record<string, unknown>;
  } catch (err) {
    throw new AppError(
      'opml_invalid',
      `opml: the file is not well-formed XML (${(err as Error).message.split('\n')[0]})`,
    );
  }
  const opml = (doc.opml ?? doc.OPML) as { head?: { title?: unknown }; body?: Outline } | undefined;
  if (!opml || typeof opml !== 'object')
    throw new AppError('opml_invalid', 'opml: no <opml> root element; is this an OPML file?');
  const result: OpmlImport = {
    title: typeof opml.head?.title === 'string' ? opml.head.title : null,
    feeds: [],
    duplicates: [],
    invalid: [],
  };
  const seen = new Set<string>();
  const walk = (outlines: Outline[] | undefined, path: string[]) => {
    for (const o of outlines ?? []) {
      const a = lowerKeys(o);
      const label = a.title || a.text || null;
      const xmlUrl = a.xmlurl?.trim();
      if (xmlUrl) {
        let url: string;
        try {
          url = new URL(xmlUrl).toString();
          if (!/^https?:$/.test(new URL(url).protocol)) throw new Error('scheme');
        } catch {
          result.invalid.push(xmlUrl);
          continue;
        }
        if (seen.has(url)) {
          result.duplicates.push(url);
          continue;
        }
        seen.add(url);
        const categories = (a.category ?? '')
          .split(/[,/]/)
          .map((c) => c.trim())
          .filter(Boolean);
        result.feeds.push({
          url,
          title: label,
          siteUrl: a.htmlurl || null,
          tags: [...new Set([...path, ...categories])],
        });
      }
      walk(o.outline, label && !xmlUrl ? [...path, label] : path);
    }
  };
  walk(opml.body?.outline, []);
  return result;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Writes OPML 2.0, grouping feeds under their first tag. */
export function exportOpml(feeds: OpmlFeed[], title: string, now: Date): string {
  const groups = new Map<string, OpmlFeed[]>();
  for (const f of feeds) {
    const key = f.tags[0] ?? '';
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const line = (f: OpmlFeed, indent: string) => {
    const extra = f.tags.length > 1 ? ` category="${escapeAttr(f.tags.slice(1).join(','))}"` : '';
    const html = f.siteUrl ? ` htmlUrl="${escapeAttr(f.siteUrl)}"` : '';
    const t = escapeAttr(f.title ?? f.url);
    return `${indent}<outline type="rss" text="${t}" title="${t}" xmlUrl="${escapeAttr(f.url)}"${html}${extra}/>`;
  };
  const body: string[] = [];
  for (const [tag, list] of groups) {
    if (!tag) body.push(...list.map((f) => line(f, '    ')));
    else
      body.push(
        `    <outline text="${escapeAttr(tag)}" title="${escapeAttr(tag)}">`,
        ...list.map((f) => line(f, '      ')),
        '    </outline>',
      );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeAttr(title)}</title>`,
    `    <dateCreated>${now.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...body,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
