import { AUTHORS, pollSettings, type Services } from '../compose.js';
import { AppError, errorMessage } from '../core/errors.js';
import { decodeBody } from '../feeds/decode-body.js';
import { fetchFeed } from '../feeds/fetch-feed.js';
import { parseModelList } from '../feeds/parse-model-list.js';
import { parseRankings } from '../feeds/parse-rankings.js';
import { diffModelList } from './diff-model-list.js';
import { ingestModelList } from './track-models.js';

/** Names of the built-in sources, as stored in `source_state`. */
export const SOURCES = { models: 'openrouter-models', rankings: 'openrouter-rankings' } as const;
/** The feed row that owns the built-in model list's release items (items need a feed). */
export const MODELS_OWNER_URL = 'builtin:openrouter-models';
/** How many days the first rankings fetch covers. */
export const BACKFILL_DAYS = 60;
/** Later fetches re-read this many days before the newest stored one, so restated days are replaced. */
const RESTATE_DAYS = 6;
const MAX_BACKOFF_MS = 6 * 3_600_000;
const DAY_MS = 86_400_000;

/** What one poll did with one built-in source, as `poll --json` prints it. */
export interface SourcePollResult {
  name: string;
  title: string;
  url: string;
  status: 'ok' | 'not_modified' | 'skipped' | 'error';
  newItems: number;
  newItemIds: number[];
  /** Model-list changes recorded by this read (ids in `model_changes`). */
  changeIds: number[];
  /** Rankings: the UTC days written. */
  days?: string[];
  error?: string;
  code?: string;
}

/** A UTC date as YYYY-MM-DD. */
export const utcDay = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));

/**
 * Polls the built-in sources configured by environment (OpenRouter's model list and daily rankings),
 * whether or not the database holds feeds. A source set to `off` is skipped; a changed URL is read at
 * once. Never throws: each failure is recorded on the source and reported.
 */
export async function pollSources(s: Services, options: { all?: boolean } = {}): Promise<SourcePollResult[]> {
  const out: SourcePollResult[] = [];
  for (const poll of [pollModelList, pollRankings]) {
    const r = await poll(s, options).catch((err: unknown) => ({ failed: err }));
    if (r && 'failed' in r) s.logger.error('sources: unexpected failure', { error: errorMessage(r.failed) });
    else if (r) out.push(r);
  }
  return out;
}

function backoff(s: Services, errorCount: number, retryAfterMs = 0): Date {
  const interval = s.config.poll.intervalMinutes * 60_000;
  const wait = Math.max(Math.min(interval * 2 ** Math.min(errorCount, 10), MAX_BACKOFF_MS), retryAfterMs);
  return new Date(s.clock.now().getTime() + wait);
}

async function failed(
  s: Services,
  base: Omit<SourcePollResult, 'status'>,
  err: { code: string; message: string; retryAfterMs?: number },
) {
  const previous = (await s.sources.get(base.name))?.errorCount ?? 0;
  const next = backoff(s, previous, err.retryAfterMs);
  await s.sources.recordFailure(base.name, { code: err.code, message: err.message, next }, s.clock.now());
  // The poll report already tells the operator; the log line is for those who ask for info.
  s.logger.info('sources: read failed', { source: base.name, url: base.url, code: err.code, message: err.message });
  return { ...base, status: 'error' as const, error: err.message, code: err.code };
}

/** Reads the model list when due: new models become releases (and stories), differences become changes. */
async function pollModelList(s: Services, options: { all?: boolean }): Promise<SourcePollResult | null> {
  const url = s.config.openRouter.modelsUrl;
  if (!url) return null;
  const now = s.clock.now();
  const state = await s.sources.get(SOURCES.models);
  const urlChanged = !!state?.url && state.url !== url;
  if (!options.all && !urlChanged && state?.nextCheckAt && Date.parse(state.nextCheckAt) > now.getTime()) return null;
  const base = { name: SOURCES.models, title: 'OpenRouter models', url, newItems: 0, newItemIds: [], changeIds: [] };
  const settings = pollSettings(s.config);
  const outcome = await fetchFeed(url, {
    fetch: s.fetch,
    now,
    allowPrivate: settings.allowPrivate,
    etag: urlChanged ? null : state?.etag,
    lastModified: urlChanged ? null : state?.lastModified,
    timeoutMs: settings.timeoutMs,
    maxBytes: settings.maxBytes,
  });
  const next = new Date(now.getTime() + settings.intervalMinutes * 60_000);
  if (outcome.kind === 'error') return failed(s, base, outcome);
  if (outcome.kind === 'not-modified') {
    await s.sources.recordSuccess(
      SOURCES.models,
      { url, etag: state?.etag ?? null, lastModified: state?.lastModified ?? null, next },
      now,
    );
    return { ...base, status: 'not_modified' };
  }
  try {
    const models = parseModelList(decodeBody(outcome.body, outcome.contentType).text);
    const stored = await s.modelList.count();
    if (models.length === 0) throw new AppError('feed_empty', 'models: the model list is empty; nothing was changed');
    // A list that suddenly lost most of its models is a partial answer, not a mass removal.
    if (!urlChanged && stored >= 10 && models.length < stored / 2)
      throw new AppError(
        'feed_parse',
        `models: the list shrank from ${stored} to ${models.length} models; not applied (read again at the next poll)`,
      );
    const { feed: owner } = await s.feeds.add(
      { url: MODELS_OWNER_URL, kind: 'builtin', title: 'OpenRouter models' },
      now,
    );
    // The first read of a list (or of a new URL) is a baseline: today's catalogue is not news.
    const { newItemIds } = await ingestModelList(
      { items: s.items, releases: s.releases, matcher: s.matcher, authors: AUTHORS },
      owner,
      models,
      now,
      { baseline: urlChanged },
    );
    const changes = urlChanged || stored === 0 ? [] : diffModelList(await s.modelList.all(), models);
    const changeIds = await s.modelList.replace(models, changes, now);
    await s.sources.recordSuccess(
      SOURCES.models,
      { url, etag: outcome.etag, lastModified: outcome.lastModified, next, fetchDay: utcDay(now) },
      now,
    );
    return { ...base, status: 'ok', newItems: newItemIds.length, newItemIds, changeIds };
  } catch (err) {
    if (err instanceof AppError) return failed(s, base, err);
    throw err;
  }
}

/** The days a rankings fetch asks for: 60 days back at first, then from a week before the newest stored day. */
export function rankingsRange(today: string, latestStored: string | null): { startDate: string; endDate: string } {
  const earliest = addDays(today, -BACKFILL_DAYS);
  const from = latestStored ? addDays(latestStored, -RESTATE_DAYS) : earliest;
  // YYYY-MM-DD strings order like dates: the later of the two.
  const startDate = [from, earliest].sort()[1] as string;
  return { startDate, endDate: addDays(today, -1) };
}

/**
 * Fetches the daily rankings at most once per UTC day (the day is persisted), and only with an API key.
 * The first fetch backfills 60 days; each day in a response replaces that day's stored rows.
 */
async function pollRankings(s: Services, options: { all?: boolean }): Promise<SourcePollResult | null> {
  const url = s.config.openRouter.rankingsUrl;
  const key = s.config.openRouter.apiKey;
  if (!url) return null;
  const base = {
    name: SOURCES.rankings,
    title: 'OpenRouter rankings',
    url,
    newItems: 0,
    newItemIds: [],
    changeIds: [],
  };
  if (!key) return { ...base, status: 'skipped', error: 'set OPENROUTER_API_KEY to track usage share' };
  const now = s.clock.now();
  const today = utcDay(now);
  const state = await s.sources.get(SOURCES.rankings);
  const sameUrl = state?.url === url;
  if (sameUrl && state?.lastFetchDay === today) return null;
  if (!options.all && state?.nextCheckAt && Date.parse(state.nextCheckAt) > now.getTime() && state.errorCount > 0)
    return null;
  const range = rankingsRange(today, sameUrl ? await s.rankings.latestDay() : null);
  const request = new URL(url);
  request.searchParams.set('start_date', range.startDate);
  request.searchParams.set('end_date', range.endDate);
  const settings = pollSettings(s.config);
  const outcome = await fetchFeed(request.toString(), {
    fetch: s.fetch,
    now,
    allowPrivate: settings.allowPrivate,
    timeoutMs: settings.timeoutMs,
    maxBytes: settings.maxBytes,
    headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
  });
  if (outcome.kind === 'error') {
    if (outcome.status === 401 || outcome.status === 403)
      return failed(s, base, {
        code: outcome.code,
        message: `rankings: OpenRouter refused the API key (HTTP ${outcome.status}); check OPENROUTER_API_KEY`,
      });
    return failed(s, base, outcome);
  }
  if (outcome.kind === 'not-modified')
    return failed(s, base, {
      code: 'feed_http_status',
      message: 'rankings: unexpected 304 to an unconditional request',
    });
  try {
    const rankings = parseRankings(decodeBody(outcome.body, outcome.contentType).text, range);
    const days = await s.rankings.store(rankings, now);
    const next = new Date(Date.parse(`${today}T00:00:00Z`) + DAY_MS);
    await s.sources.recordSuccess(
      SOURCES.rankings,
      { url, etag: null, lastModified: null, next, fetchDay: today },
      now,
    );
    return { ...base, status: 'ok', days };
  } catch (err) {
    if (err instanceof AppError) return failed(s, base, err);
    throw err;
  }
}
