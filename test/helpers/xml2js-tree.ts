import Parser from 'rss-parser';
import type { XmlTreeOptions } from '../../src/feeds/xml-tree.js';

/** The tree rss-parser's own xml2js parser builds, or its error: the reference the fast builder must match. */
export function xml2jsTree(xml: string, options: XmlTreeOptions): Promise<{ tree?: unknown; error?: string }> {
  const parser = new Parser({ xml2js: options }) as unknown as {
    xmlParser: { parseString(xml: string, cb: (err: Error | null, result?: unknown) => void): void };
  };
  return new Promise((resolve) => {
    parser.xmlParser.parseString(xml, (err, tree) => resolve(err ? { error: err.message } : { tree }));
  });
}
