import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import type { NormalizedItem, ParsedFeed } from '../../src/core/types.js';
import { cleanXml } from '../../src/feeds/clean-xml.js';
import { decodeBody } from '../../src/feeds/decode-body.js';
import { htmlToPlain } from '../../src/feeds/html-to-plain.js';
import { normalizeItem } from '../../src/feeds/normalize-item.js';
import { parseOpml } from '../../src/feeds/opml.js';
import { parseFeed } from '../../src/feeds/parse-feed.js';
import { readXmlTree } from '../../src/feeds/xml-tree.js';
import { xml2jsTree } from '../helpers/xml2js-tree.js';

/**
 * Conformance over the third-party corpus in ../shared/corpus (not part of this repository). Runs when
 * that folder exists, as it does in CI: every file must parse or fail with a clear error, never crash or
 * hang, and gofeed's expected items (those with a title or link) must match ours.
 */
const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus');
const HAS_CORPUS = existsSync(join(CORPUS, 'feeds'));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** True for files that are inputs (not licences, and not gofeed's or rss-parser's expected results). */
function isInput(path: string): boolean {
  const name = basename(path);
  if (/^LICENSE/.test(name) || name === 'README.md') return false;
  if (path.includes('/rss-parser/output/')) return false;
  if (path.includes('/gofeed/') && name.endsWith('.json')) {
    if (name.endsWith('_expected.json')) return false;
    if (existsSync(join(dirname(path), name.replace(/\.json$/, '.xml')))) return false;
  }
  return true;
}

/** The Content-Type a feedparser test declares in its header comment. */
function declaredContentType(text: string): string | null {
  return /^Header:\s*Content-type:\s*(.+)$/im.exec(text.slice(0, 2000))?.[1]?.trim() ?? null;
}

type Outcome = 'items' | 'empty' | 'error' | 'crash' | 'hang';

async function ingestBytes(
  bytes: Buffer,
  url: string,
): Promise<{ outcome: Outcome; feed?: ParsedFeed; normalized?: (NormalizedItem | null)[]; error?: string }> {
  let raw = bytes;
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  const head = raw.subarray(0, 2000).toString('latin1');
  const { text } = decodeBody(raw, declaredContentType(head));
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((r) => {
    timer = setTimeout(() => r('hang'), 10_000);
  });
  try {
    const result = await Promise.race([parseFeed(text, url), hang]);
    if (result === 'hang') return { outcome: 'hang' };
    const now = new Date('2026-11-20T00:00:00Z');
    const normalized = result.items.map((item) => normalizeItem(item, { now, feedLanguage: result.language }));
    return { outcome: result.items.length > 0 ? 'items' : 'empty', feed: result, normalized };
  } catch (err) {
    if (err instanceof AppError) return { outcome: 'error', error: err.message };
    return { outcome: 'crash', error: String((err as Error)?.stack ?? err) };
  } finally {
    clearTimeout(timer);
  }
}

/** What must never survive HTML-to-text: script bodies, handlers, javascript: URLs, embedded objects. */
const HOSTILE =
  /<\s*(script|iframe|object|embed|applet|meta|link|style)\b|javascript:|location\.href|document\.(write|cookie)|\bon[a-z]+\s*=|alert\(/i;

type ExpectedItem = { title?: string; link?: string; links?: { href?: string }[] };

function sameUrl(a: string | null | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  try {
    return new URL(a).toString() === new URL(b.trim(), a).toString();
  } catch {
    return a.trim() === b.trim();
  }
}

const norm = (s: string | null | undefined) =>
  htmlToPlain(s ?? '')
    .replace(/\s+/g, ' ')
    .trim();

describe.runIf(HAS_CORPUS)('corpus conformance (../shared/corpus)', () => {
  it('every feed file yields items or a clear error, never a crash or a hang; gofeed agreement ≥ 98%', async () => {
    const files = walk(join(CORPUS, 'feeds')).filter(isInput);
    const counts: Record<Outcome, number> = { items: 0, empty: 0, error: 0, crash: 0, hang: 0 };
    const crashes: string[] = [];
    let expectedItems = 0;
    let matchedItems = 0;
    let refExpected = 0;
    let sanitizeFiles = 0;
    const unsafe: string[] = [];
    let refMatched = 0;
    const mismatches: string[] = [];
    for (const file of files) {
      const rel = relative(CORPUS, file);
      const url = `http://127.0.0.1:8097/tests/${rel.replace(/^feeds\/feedparser\/tests\//, '')}`;
      const r = await ingestBytes(readFileSync(file), url);
      counts[r.outcome]++;
      if (r.outcome === 'crash' || r.outcome === 'hang') crashes.push(`${rel}: ${r.outcome} ${r.error ?? ''}`);
      if (rel.includes('/sanitize/')) {
        sanitizeFiles++;
        for (const n of r.normalized ?? []) {
          const shown = `${n?.title ?? ''}\n${n?.text ?? ''}`;
          if (HOSTILE.test(shown)) unsafe.push(`${rel}: ${JSON.stringify(shown.slice(0, 120))}`);
        }
      }
      const reference = file.includes('/rss-parser/input/')
        ? join(CORPUS, 'feeds/rss-parser/output', basename(file).replace(/\.[a-z]+$/, '.json'))
        : '';
      if (reference && existsSync(reference)) {
        const refItems =
          (JSON.parse(readFileSync(reference, 'utf8')) as { feed?: { items?: ExpectedItem[] } }).feed?.items ?? [];
        refItems.forEach((w, idx) => {
          // rss-parser's own output for encoding.rss is mis-decoded (U+FFFD); it cannot serve as a reference there.
          if ((!w.title && !w.link) || w.title?.includes('\uFFFD')) return;
          refExpected++;
          const g = r.feed?.items[idx];
          if (g && (w.title ? norm(g.title) === norm(w.title) : sameUrl(g.link, w.link))) refMatched++;
          else
            mismatches.push(
              `${rel} #${idx}: want ${JSON.stringify(w.title ?? w.link)} got ${JSON.stringify(g?.title ?? g?.link ?? null)}`,
            );
        });
      }
      const expectedPath = file.includes('/gofeed/')
        ? [file.replace(/\.xml$/, '.json'), file.replace(/\.json$/, '_expected.json')].find(
            (p) => p !== file && existsSync(p),
          )
        : undefined;
      if (!expectedPath) continue;
      const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as {
        items?: ExpectedItem[];
        entries?: ExpectedItem[];
      };
      const want = (expected.items ?? expected.entries ?? [])
        .map((i) => ({ title: i.title, link: i.link ?? i.links?.[0]?.href }))
        .filter((i) => i.title || i.link);
      if (want.length === 0) continue;
      const got = r.feed?.items ?? [];
      want.forEach((w, idx) => {
        expectedItems++;
        const g = got[idx];
        const ok = g !== undefined && (w.title ? norm(g.title) === norm(w.title) : sameUrl(g.link, w.link));
        if (ok) matchedItems++;
        else
          mismatches.push(
            `${relative(CORPUS, file)} #${idx}: want ${JSON.stringify(w.title ?? w.link)} got ${JSON.stringify(g?.title ?? g?.link ?? null)}`,
          );
      });
    }
    const rate = expectedItems === 0 ? 1 : matchedItems / expectedItems;
    console.log(
      `corpus: ${files.length} feed files: ${counts.items} with items, ${counts.empty} empty, ${counts.error} clear errors, ` +
        `${counts.crash} crashes, ${counts.hang} hangs; gofeed agreement ${matchedItems}/${expectedItems} = ${(rate * 100).toFixed(1)}%; ` +
        `rss-parser reference titles ${refMatched}/${refExpected} = ${((refMatched / Math.max(1, refExpected)) * 100).toFixed(1)}%`,
    );
    if (mismatches.length) console.log(`first mismatches:\n  ${mismatches.slice(0, 15).join('\n  ')}`);
    console.log(
      `corpus: ${sanitizeFiles} hostile-HTML files, ${unsafe.length} items with script, handler or embed text left`,
    );
    expect(crashes).toEqual([]);
    expect(unsafe).toEqual([]);
    expect(files.length).toBeGreaterThan(1500);
    expect(rate).toBeGreaterThanOrEqual(0.98);
    expect(refMatched / refExpected).toBeGreaterThanOrEqual(0.95);
  }, 240_000);

  it('the fast XML tree builder returns exactly what xml2js returns, or declines', async () => {
    const options = { strict: true, tagNameProcessors: [(n: string) => (n === 'link' ? 'ai:link' : n)] };
    let fast = 0;
    let declined = 0;
    let xml2jsAccepts = 0;
    const differing: string[] = [];
    for (const file of walk(join(CORPUS, 'feeds')).filter(isInput)) {
      let raw = readFileSync(file);
      if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
      const text = decodeBody(raw, declaredContentType(raw.subarray(0, 2000).toString('latin1'))).text.trimStart();
      if (!text.startsWith('<')) continue;
      // Both the document as served and as cleaned for the second strict attempt in parseFeed.
      for (const xml of new Set([text, cleanXml(text)])) {
        const tree = readXmlTree(xml, options);
        const reference = await xml2jsTree(xml, options);
        if (reference.tree) xml2jsAccepts++;
        if (tree === null) {
          declined++;
          continue;
        }
        fast++;
        // Key order too (JSON keeps it): rss-parser serializes some nodes back to markup in key order.
        const same = isDeepStrictEqual(tree, reference.tree) && JSON.stringify(tree) === JSON.stringify(reference.tree);
        if (!same) differing.push(relative(CORPUS, file));
      }
    }
    console.log(
      `corpus: fast XML trees for ${fast} documents (${declined} declined to xml2js); ${differing.length} differ from xml2js; xml2js accepts ${xml2jsAccepts}`,
    );
    expect(differing).toEqual([]);
    // The fast path must be the common one, or the speed it buys is not real.
    expect(fast / xml2jsAccepts).toBeGreaterThan(0.9);
  }, 240_000);

  it('every OPML file imports or fails with a clear error', () => {
    const files = walk(join(CORPUS, 'opml')).filter(isInput);
    let feeds = 0;
    let errors = 0;
    for (const file of files) {
      try {
        feeds += parseOpml(decodeBody(readFileSync(file)).text).feeds.length;
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        errors++;
      }
    }
    console.log(`corpus: ${files.length} OPML files, ${feeds} feeds read, ${errors} clear errors`);
    expect(feeds).toBeGreaterThan(0);
  });
});
