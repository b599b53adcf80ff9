import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The third-party feed corpus beside the repository (not part of it; CI has it, a bare clone may not). */
export const CORPUS = resolve(import.meta.dirname, '../../shared/corpus/feeds');

/**
 * The corpus's feeds saved from real sites (its README: reddit, the Guardian, heise, craigslist, Giant
 * Bomb, TPM, the Washington Post, Medium, …) with their real titles, bodies, languages and dates, unlike
 * the synthetic bench feeds, where every item is about one of 12 labs. Read in place, never copied.
 */
const REAL_FEEDS = [
  'rss-parser/input/reddit.rss',
  'rss-parser/input/reddit-atom.rss',
  'rss-parser/input/reddit-home.rss',
  'rss-parser/input/guardian.rss',
  'rss-parser/input/heraldsun.rss',
  'rss-parser/input/craigslist.rss',
  'rss-parser/input/narro.rss',
  'rss-parser/input/many-links.rss',
  'rss-parser/input/feedburner.atom',
  'rss-parser/input/heise.atom',
  'rss-parser/input/encoding.rss',
  'rss-parser/input/giantbomb-podcast.rss',
  'miniflux/parser/large_atom.xml',
  'miniflux/parser/large_rss.xml',
  'miniflux/parser/encoding_ISO-8859-1.xml',
  'miniflux/parser/encoding_WINDOWS-1251.xml',
  'miniflux/parser/urdu_UTF8.xml',
  'node-feedparser/feeds/tpm.atom',
  'node-feedparser/feeds/intertwingly.atom',
  'node-feedparser/feeds/wapowellness.xml',
  'node-feedparser/feeds/iconv.xml',
  'feed-extractor/test-data/atom-feed-standard-realworld.xml',
  'feed-extractor/test-data/rss-feed-standard-realworld.xml',
  'feed-extractor/test-data/json-feed-standard-realworld.json',
  'feed-extractor/test-data/medium-feed.xml',
];

/** A document to serve: its bytes as stored, and the Content-Type its site would send. */
export interface ServedFeed {
  body: Buffer;
  contentType: string;
}

/** The real feeds' bytes, or null when the corpus is not beside the repository. */
export function realFeeds(): ServedFeed[] | null {
  if (!existsSync(CORPUS)) return null;
  return REAL_FEEDS.filter((f) => existsSync(join(CORPUS, f))).map((f) => ({
    body: readFileSync(join(CORPUS, f)),
    // encoding.rss is Latin-1 with no declaration: rss-parser's own test served it with this charset.
    contentType: f.endsWith('.json')
      ? 'application/feed+json'
      : f.endsWith('encoding.rss')
        ? 'text/xml; charset=latin1'
        : 'application/xml',
  }));
}
