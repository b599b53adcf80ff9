import { AUTHORS, pollSettings, type Services } from '../compose.js';
import { AppError } from '../core/errors.js';
import { DEFAULT_TEAM } from '../core/team.js';
import type { Feed, NormalizedItem } from '../core/types.js';
import { decodeBody } from '../feeds/decode-body.js';
import { fetchFeed } from '../feeds/fetch-feed.js';
import { normalizeItem } from '../feeds/normalize-item.js';
import { parseFeed } from '../feeds/parse-feed.js';
import { looksLikeModelList, parseModelList } from '../feeds/parse-model-list.js';
import { checkUrl } from '../feeds/url-guard.js';
import { storageProblem } from '../store/storage-problem.js';
import { ingestModelList } from './track-models.js';

/** The result of `feeds add`: the feed, whether it was new, and what its first fetch stored. */
export interface AddFeedResult {
  feed: Feed;
  created: boolean;
  itemsFound: number;
  newItemIds: number[];
}

/**
 * Subscribes to a feed only after a real, SSRF-guarded fetch shows it parses; the items of that
 * fetch are stored at once. Throws AppError with the reason when the address is not a usable feed.
 */
export async function addFeed(
  s: Services,
  rawUrl: string,
  name?: string,
  team: string = DEFAULT_TEAM,
): Promise<AddFeedResult> {
  const url = checkUrl(rawUrl.trim().replace(/^<|>$/g, ''), s.config.allowPrivateFeedUrls).toString();
  const builtin = s.config.openRouter.modelsUrl;
  if (builtin && (url === builtin || url === new URL(builtin).toString()))
    throw new AppError(
      'usage',
      `feeds: ${url} is OpenRouter's model list, a built-in source (OPENROUTER_MODELS_URL) tracked by every poll; it needs no feed.`,
    );
  const existing = await s.feeds.getByUrl(url);
  // A feed another team subscribes to is fetched already (one row per URL): this team only subscribes.
  if (existing && existing.kind !== 'builtin') {
    const { created } = await s.feeds.add({ url }, s.clock.now(), team);
    return { feed: existing, created, itemsFound: 0, newItemIds: [] };
  }
  const settings = pollSettings(s.config);
  const outcome = await fetchFeed(url, {
    fetch: s.fetch,
    now: s.clock.now(),
    allowPrivate: settings.allowPrivate,
    timeoutMs: settings.timeoutMs,
    maxBytes: settings.maxBytes,
  });
  if (outcome.kind === 'error') throw new AppError(outcome.code, `${outcome.message}. The feed was not added.`);
  if (outcome.kind === 'not-modified')
    throw new AppError('feed_http_status', `feeds: ${url} answered 304 to a first request. The feed was not added.`);
  const text = decodeBody(outcome.body, outcome.contentType).text;
  if (looksLikeModelList(text)) {
    const models = parseModelList(text);
    const now = s.clock.now();
    return saveAtOnce(s, async () => {
      const { feed } = await s.feeds.add(
        { url, kind: 'openrouter-models', title: name?.trim() || 'Model list' },
        now,
        team,
      );
      // The first read is a baseline: today's catalogue is not news.
      const r = await ingestModelList(
        { items: s.items, releases: s.releases, matcher: s.matcher, authors: AUTHORS },
        feed,
        models,
        now,
      );
      const next = new Date(now.getTime() + settings.intervalMinutes * 60_000);
      await s.feeds.recordSuccess(feed.id, { etag: outcome.etag, lastModified: outcome.lastModified, next }, now);
      return {
        feed: (await s.feeds.get(feed.id)) as Feed,
        created: true,
        itemsFound: models.length,
        newItemIds: r.newItemIds,
      };
    });
  }
  const parsed = await parseFeed(text, outcome.finalUrl).catch((err: unknown) => {
    if (err instanceof AppError) throw new AppError(err.code, `${err.message}. The feed was not added.`);
    throw err;
  });
  const now = s.clock.now();
  const items = parsed.items
    .map((p) => normalizeItem(p, { now, feedLanguage: parsed.language }))
    .filter((x): x is NormalizedItem => x !== null);
  return saveAtOnce(s, async () => {
    const { feed } = await s.feeds.add({ url, title: name?.trim() || parsed.title, siteUrl: parsed.link }, now, team);
    const newItemIds = await s.items.insertMany(feed.id, items, now);
    await s.feeds.recordSuccess(
      feed.id,
      {
        etag: outcome.etag,
        lastModified: outcome.lastModified,
        next: new Date(now.getTime() + settings.intervalMinutes * 60_000),
      },
      now,
    );
    return { feed: (await s.feeds.get(feed.id)) as Feed, created: true, itemsFound: parsed.items.length, newItemIds };
  });
}

/**
 * The feed, its first items and its health in one transaction: a write that fails half-way (a full
 * disk) leaves no feed without its items, and says so.
 */
async function saveAtOnce(s: Services, save: () => Promise<AddFeedResult>): Promise<AddFeedResult> {
  try {
    return await s.sql.write(save);
  } catch (err) {
    const storage = storageProblem(err);
    if (storage) throw new AppError(storage.code, `${storage.message} The feed was not added.`, { cause: err });
    throw err;
  }
}
