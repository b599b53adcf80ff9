import pLimit, { type LimitFunction } from 'p-limit';
import type { EntityMatcher } from '../catalog/match-entities.js';
import type { Clock } from '../core/clock.js';
import { AppError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Feed, NormalizedItem } from '../core/types.js';
import { yieldToLoop } from '../core/yield-to-loop.js';
import type { FetchLike } from '../feeds/create-http-fetch.js';
import { decodeBody } from '../feeds/decode-body.js';
import { fetchFeed } from '../feeds/fetch-feed.js';
import { normalizeItem } from '../feeds/normalize-item.js';
import { parseFeed } from '../feeds/parse-feed.js';
import { parseModelList } from '../feeds/parse-model-list.js';
import type { ClaimRepository } from '../store/claim-repository.js';
import type { FeedRepository } from '../store/feed-repository.js';
import type { ItemRepository } from '../store/item-repository.js';
import type { ReleaseRepository } from '../store/release-repository.js';
import { storageProblem } from '../store/storage-problem.js';
import { withClaim } from '../store/with-claim.js';
import { ingestModelList } from './track-models.js';

/** The outcome of polling one feed, as `poll --json` prints it. */
export interface FeedPollResult {
  id: number;
  url: string;
  title: string | null;
  /** `skipped`: not stored because the database could not take writes (see PollReport.storage). */
  status: 'ok' | 'not_modified' | 'error' | 'paused' | 'skipped';
  newItems: number;
  newItemIds: number[];
  error?: string;
  code?: string;
}

export interface PollReport {
  feeds: FeedPollResult[];
  newItems: number;
  newItemIds: number[];
  /** The database refused writes (disk full, read-only): reported once for the cycle, not per feed. */
  storage?: { code: string; error: string };
  /** Due feeds another process was polling at the same time (or had just polled): left to it. */
  polledElsewhere: number;
}

/** What the feeds of one cycle share: once the database refuses writes, the rest are not fetched. */
export interface Cycle {
  storage: AppError | null;
}

export interface PollDeps {
  feeds: FeedRepository;
  items: ItemRepository;
  releases: ReleaseRepository;
  claims: ClaimRepository;
  matcher: EntityMatcher;
  /** OpenRouter author prefix → lab id. */
  authors: Map<string, string>;
  fetch: FetchLike;
  clock: Clock;
  logger: Logger;
  settings: {
    allowPrivate: boolean;
    intervalMinutes: number;
    concurrency: number;
    perHostConcurrency: number;
    timeoutMs: number;
    maxBytes: number;
    errorLimit: number;
  };
}

const MAX_BACKOFF_MS = 24 * 3600_000;
/** Items normalized between two yields to the event loop (about 20 ms of work). */
const NORMALIZE_SLICE = 250;
/** Items stored per transaction (about 40 ms with their search index). */
const STORE_SLICE = 500;
/**
 * Claims of polled feeds released together: on PostgreSQL every statement is a round trip, and a
 * claim, a poll's record and a release each were one per feed. Until released, a polled feed's claim
 * only keeps another `poll --all` off it for those few seconds (a due poll would not list it).
 */
const RELEASE_BATCH = 16;

/**
 * Polls every due feed (or every active one with `all`) with bounded concurrency overall and per host.
 * Each feed is claimed first: a feed another process is polling, or polled since this run listed it,
 * is left to that process, so concurrent runs fetch each feed once. Each feed's failure is recorded on
 * the feed and reported; it never stops the others.
 */
export async function pollFeeds(
  deps: PollDeps,
  options: { all?: boolean; feedIds?: number[] } = {},
): Promise<PollReport> {
  const now = deps.clock.now();
  // Counts first, then the feeds: a listed feed is then never older than its count, so when the count is
  // unchanged at its claim (see claimFeed), the listed row (its ETag, its dates) is still the feed's.
  const checks = await deps.feeds.checkCounts();
  let due = await deps.feeds.due(now, options.all);
  if (options.feedIds) due = due.filter((f) => options.feedIds?.includes(f.id));
  const global = pLimit(deps.settings.concurrency);
  const perHost = new Map<string, LimitFunction>();
  const hostLimit = (url: string) => {
    let host = url;
    try {
      host = new URL(url).host;
    } catch {}
    const existing = perHost.get(host);
    if (existing) return existing;
    const created = pLimit(deps.settings.perHostConcurrency);
    perHost.set(host, created);
    return created;
  };
  const cycle: Cycle = { storage: null };
  // Claims of the feeds polled, released a batch at a time (one statement each) rather than one by one.
  const done: string[] = [];
  const release = () => deps.claims.releaseMany(done.splice(0)).catch(() => undefined);
  let polledElsewhere = 0;
  const claimAndPoll = async (f: Feed): Promise<FeedPollResult | undefined> => {
    if (cycle.storage) return skipped(f, cycle.storage);
    const outcome = await claimFeed(deps, f, checks.get(f.id) ?? 0, options.all === true, cycle, (key) =>
      done.push(key),
    );
    if (done.length >= RELEASE_BATCH) await release();
    if (outcome !== 'elsewhere') return outcome;
    polledElsewhere++;
    return undefined;
  };
  // Host limit outside the global one, so a feed waiting for its host holds no global slot.
  let results: FeedPollResult[];
  try {
    results = (await Promise.all(due.map((f) => hostLimit(f.url)(() => global(() => claimAndPoll(f)))))).filter(
      (r): r is FeedPollResult => r !== undefined,
    );
  } finally {
    await release();
  }
  const paused = options.feedIds
    ? []
    : (await deps.feeds.anySubscribed()).filter((f) => f.pausedAt && !results.some((r) => r.id === f.id));
  for (const f of paused) {
    results.push({
      id: f.id,
      url: f.url,
      title: f.title,
      status: 'paused',
      newItems: 0,
      newItemIds: [],
      error: pausedMessage(f),
      code: f.lastErrorCode ?? undefined,
    });
  }
  results.sort((a, b) => a.id - b.id);
  const newItemIds = results.flatMap((r) => r.newItemIds);
  if (cycle.storage) deps.logger.error('feeds: the database refused writes', { code: cycle.storage.code });
  return {
    feeds: results,
    newItems: newItemIds.length,
    newItemIds,
    polledElsewhere,
    ...(cycle.storage ? { storage: { code: cycle.storage.code, error: cycle.storage.message } } : {}),
  };
}

/**
 * Polls one feed under its claim, if it still needs polling once claimed (`checks` is how often it had
 * been checked when this run listed it; the claim's statement checks it). 'elsewhere' when another
 * process has it or has just done it. The claim is handed to `releaseLater` when the poll ends.
 */
async function claimFeed(
  deps: PollDeps,
  feed: Feed,
  checks: number,
  all: boolean,
  cycle: Cycle,
  releaseLater: (key: string) => void,
): Promise<FeedPollResult | 'elsewhere'> {
  try {
    const r = await withClaim(deps.claims, deps.clock, `feed:${feed.id}`, () => pollOne(deps, feed, cycle), {
      onlyIf: deps.feeds.stillToPoll(feed.id, checks, deps.clock.now(), all),
      releaseLater,
    });
    return r.claimed ? r.value : 'elsewhere';
  } catch (err) {
    // The claim itself could not be written: a full or read-only database is the cycle's problem (as
    // in pollOne); a database another process kept locked past the busy timeout leaves the feed for the
    // next cycle. Either way nothing is charged to the feed.
    const storage = storageProblem(err);
    if (storage) {
      cycle.storage ??= storage;
      return skipped(feed, storage);
    }
    deps.logger.error('feeds: could not claim the feed', { feedId: feed.id, error: errorMessage(err) });
    return {
      id: feed.id,
      url: feed.url,
      title: feed.title,
      status: 'error',
      newItems: 0,
      newItemIds: [],
      code: 'storage_busy',
      error: `store: the database stayed busy (${errorMessage(err)}); the feed is polled next time`,
    };
  }
}

/** A feed the cycle did not store because the database refused writes; its health is left as it was. */
function skipped(feed: Feed, problem: AppError): FeedPollResult {
  const base = { id: feed.id, url: feed.url, title: feed.title, newItems: 0, newItemIds: [] };
  const why = problem.code === 'storage_full' ? 'the database or its disk is full' : 'the database is read-only';
  return { ...base, status: 'skipped', code: problem.code, error: `not stored: ${why}` };
}

function pausedMessage(f: Feed): string {
  return `paused after ${f.errorCount} failures in a row (last: ${f.lastError ?? 'unknown'}); \`feeds resume ${f.id}\` retries it`;
}

/**
 * Fetches, parses and stores one feed; records its health. Never throws. A database that refuses
 * writes (disk full, read-only) is not the feed's fault: it is noted on the cycle and the feed's health
 * stays as it was, so it is polled again as soon as there is room.
 */
export async function pollOne(deps: PollDeps, feed: Feed, cycle: Cycle = { storage: null }): Promise<FeedPollResult> {
  const s = deps.settings;
  const base = { id: feed.id, url: feed.url, title: feed.title };
  const interval = s.intervalMinutes * 60_000;
  try {
    const outcome = await fetchFeed(feed.url, {
      fetch: deps.fetch,
      now: deps.clock.now(),
      allowPrivate: s.allowPrivate,
      etag: feed.etag,
      lastModified: feed.lastModified,
      timeoutMs: s.timeoutMs,
      maxBytes: s.maxBytes,
    });
    const now = deps.clock.now();
    if (outcome.kind === 'not-modified') {
      await deps.feeds.recordSuccess(
        feed.id,
        { etag: feed.etag, lastModified: feed.lastModified, next: new Date(now.getTime() + interval) },
        now,
      );
      return { ...base, status: 'not_modified', newItems: 0, newItemIds: [] };
    }
    if (outcome.kind === 'error') return fail(deps, feed, outcome.code, outcome.message, outcome.retryAfterMs);
    const { text } = decodeBody(outcome.body, outcome.contentType);
    if (feed.kind === 'openrouter-models') {
      const { newItemIds } = await ingestModelList(deps, feed, parseModelList(text), now);
      await deps.feeds.recordSuccess(
        feed.id,
        {
          etag: outcome.etag,
          lastModified: outcome.lastModified,
          next: new Date(now.getTime() + interval),
          title: 'OpenRouter models',
        },
        now,
      );
      return {
        ...base,
        title: feed.title ?? 'OpenRouter models',
        status: 'ok',
        newItems: newItemIds.length,
        newItemIds,
      };
    }
    const parsed = await parseFeed(text, outcome.finalUrl);
    const normalized: NormalizedItem[] = [];
    for (const [i, p] of parsed.items.entries()) {
      if (i > 0 && i % NORMALIZE_SLICE === 0) await yieldToLoop(); // a 3,000-item feed must not stall Slack acks
      const n = normalizeItem(p, { now, feedLanguage: parsed.language });
      if (n) normalized.push(n);
    }
    // Stored in slices, each its own transaction: a crash keeps whole slices, and the next poll stores
    // the rest (items are deduplicated), while the event loop runs between slices.
    const ids: number[] = [];
    for (let i = 0; i < normalized.length; i += STORE_SLICE) {
      if (i > 0) await yieldToLoop();
      ids.push(...(await deps.items.insertMany(feed.id, normalized.slice(i, i + STORE_SLICE), now)));
    }
    await deps.feeds.recordSuccess(
      feed.id,
      {
        etag: outcome.etag,
        lastModified: outcome.lastModified,
        next: new Date(now.getTime() + interval),
        title: parsed.title,
        siteUrl: parsed.link,
      },
      now,
    );
    deps.logger.debug('feeds: polled', { feedId: feed.id, url: feed.url, items: parsed.items.length, new: ids.length });
    return { ...base, title: feed.title ?? parsed.title, status: 'ok', newItems: ids.length, newItemIds: ids };
  } catch (err) {
    if (err instanceof AppError) return fail(deps, feed, err.code, err.message);
    const storage = storageProblem(err);
    if (storage) {
      cycle.storage ??= storage;
      return skipped(feed, storage);
    }
    deps.logger.error('feeds: unexpected failure', { feedId: feed.id, url: feed.url, error: errorMessage(err) });
    return fail(deps, feed, 'feed_network', `feeds: unexpected failure: ${errorMessage(err)}`);
  }
}

async function fail(
  deps: PollDeps,
  feed: Feed,
  code: string,
  message: string,
  retryAfterMs?: number,
): Promise<FeedPollResult> {
  const now = deps.clock.now();
  const interval = deps.settings.intervalMinutes * 60_000;
  const backoff = Math.min(interval * 2 ** Math.min(feed.errorCount, 10), MAX_BACKOFF_MS);
  const wait = Math.max(backoff, Math.min(retryAfterMs ?? 0, 7 * MAX_BACKOFF_MS));
  let paused = false;
  try {
    const next = new Date(now.getTime() + wait);
    paused =
      (await deps.feeds.recordFailure(feed.id, { code, message, next, limit: deps.settings.errorLimit }, now))
        .pausedAt !== null;
  } catch (err) {
    // Recording can fail for the same reason the poll did (a full disk): report, do not crash.
    deps.logger.error('feeds: could not record the failure', { feedId: feed.id, error: errorMessage(err) });
  }
  // A failing feed is routine (recorded, shown by `feeds` and the poll report): info. A pause needs an
  // operator: warn.
  if (paused)
    deps.logger.warn('feeds: paused after repeated failures', { feedId: feed.id, url: feed.url, code, message });
  else deps.logger.info('feeds: poll failed', { feedId: feed.id, url: feed.url, code, message });
  const status = paused ? 'paused' : 'error';
  return { id: feed.id, url: feed.url, title: feed.title, status, newItems: 0, newItemIds: [], error: message, code };
}
