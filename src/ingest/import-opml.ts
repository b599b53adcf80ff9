import { readFile } from 'node:fs/promises';
import { pollSettings, type Services } from '../compose.js';
import { AppError } from '../core/errors.js';
import { DEFAULT_TEAM } from '../core/team.js';
import { decodeBody } from '../feeds/decode-body.js';
import { fetchFeed } from '../feeds/fetch-feed.js';
import { parseOpml } from '../feeds/opml.js';

/** What an OPML import did. */
export interface ImportResult {
  added: { id: number; url: string; title: string | null }[];
  alreadySubscribed: string[];
  duplicatesInFile: string[];
  invalid: string[];
}

/** Reads OPML text from a URL (fetched through the SSRF guard) or, when `allowFiles`, a local path. */
export async function readOpmlSource(s: Services, source: string, allowFiles: boolean): Promise<string> {
  const trimmed = source.trim();
  if (trimmed.startsWith('<')) return trimmed;
  if (/^https?:\/\//i.test(trimmed)) {
    const settings = pollSettings(s.config);
    const out = await fetchFeed(trimmed, {
      fetch: s.fetch,
      now: s.clock.now(),
      allowPrivate: settings.allowPrivate,
      timeoutMs: settings.timeoutMs,
      maxBytes: settings.maxBytes,
    });
    if (out.kind !== 'ok')
      throw new AppError(
        out.kind === 'error' ? out.code : 'feed_http_status',
        out.kind === 'error' ? out.message : 'opml: unexpected 304',
      );
    return decodeBody(out.body, out.contentType).text;
  }
  if (!allowFiles) throw new AppError('usage', 'opml: give an http(s) URL of the OPML file, or paste its contents');
  try {
    return decodeBody(await readFile(trimmed)).text;
  } catch (err) {
    throw new AppError('not_found', `opml: cannot read ${trimmed} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * Subscribes the team to every feed in the OPML text it does not have yet, in one transaction (a URL
 * another team already subscribes to is not stored twice); reports skipped entries.
 */
export async function importOpml(s: Services, xml: string, team: string = DEFAULT_TEAM): Promise<ImportResult> {
  const parsed = parseOpml(xml);
  const result: ImportResult = {
    added: [],
    alreadySubscribed: [],
    duplicatesInFile: parsed.duplicates,
    invalid: [...parsed.invalid],
  };
  const now = s.clock.now();
  await s.sql.write(async () => {
    for (const f of parsed.feeds) {
      const { feed, created } = await s.feeds.add(f, now, team);
      if (created) result.added.push({ id: feed.id, url: feed.url, title: feed.title });
      else result.alreadySubscribed.push(f.url);
    }
  });
  return result;
}

/**
 * Seeds the default team's subscriptions from FEEDS_FILE when it has none. Returns how many were added.
 * OpenRouter's model list and rankings are built-in sources (configured by environment), not feeds.
 */
export async function seedFeeds(s: Services): Promise<number> {
  if ((await s.feeds.count()) > 0) return 0;
  const xml = await readOpmlSource(s, s.config.feedsFile, true);
  return (await importOpml(s, xml)).added.length;
}
