import { AppError, type ErrorCode } from '../core/errors.js';
import type { FetchLike } from './create-http-fetch.js';
import { checkUrl } from './url-guard.js';

export const USER_AGENT = 'ai-news/0.1 (+https://github.com/ai-news/ai-news; feed reader for a Slack digest)';

/** What one fetch of a feed came to: content, unchanged, or an error with a code and a message. */
export type FetchOutcome =
  | {
      kind: 'ok';
      body: Buffer;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      finalUrl: string;
    }
  | { kind: 'not-modified'; finalUrl: string }
  | { kind: 'error'; code: ErrorCode; message: string; status?: number; retryAfterMs?: number };

export interface FetchFeedOptions {
  fetch: FetchLike;
  now: Date;
  allowPrivate: boolean;
  etag?: string | null;
  lastModified?: string | null;
  /** @unit milliseconds, for the whole exchange including the body */
  timeoutMs: number;
  /** @unit bytes, after decompression */
  maxBytes: number;
  maxRedirects?: number;
  /** Extra request headers (an API key), sent only to the URL's own origin, never to a redirect elsewhere. */
  headers?: Record<string, string>;
}

/**
 * Fetches a feed with a conditional GET, following at most `maxRedirects` redirects and checking
 * every hop against the SSRF guard. Never throws for network or HTTP trouble; returns an outcome.
 */
export async function fetchFeed(url: string, o: FetchFeedOptions): Promise<FetchOutcome> {
  const signal = AbortSignal.timeout(o.timeoutMs);
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    accept:
      'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
  };
  if (o.etag) headers['if-none-match'] = o.etag;
  if (o.lastModified) headers['if-modified-since'] = o.lastModified;
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      checkUrl(current, o.allowPrivate);
      const sameOrigin = new URL(current).origin === new URL(url).origin;
      const res = await o.fetch(current, {
        headers: o.headers && sameOrigin ? { ...headers, ...o.headers } : headers,
        redirect: 'manual',
        signal,
      });
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        const location = res.headers.get('location');
        await res.body?.cancel();
        if (!location) return httpError(res.status, current, 'redirect without a Location header');
        if (hop >= (o.maxRedirects ?? 5)) {
          return {
            kind: 'error',
            code: 'feed_too_many_redirects',
            message: `feeds: more than ${o.maxRedirects ?? 5} redirects from ${url}; check the feed address`,
          };
        }
        current = new URL(location, current).toString();
        continue;
      }
      if (res.status === 304) {
        await res.body?.cancel();
        return { kind: 'not-modified', finalUrl: current };
      }
      if (res.status === 429 || res.status === 503) {
        await res.body?.cancel();
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), o.now);
        return {
          kind: 'error',
          code: 'feed_rate_limited',
          status: res.status,
          retryAfterMs,
          message: `feeds: ${new URL(current).host} answered ${res.status}${retryAfterMs ? `; retrying after ${Math.ceil(retryAfterMs / 1000)} s` : ''}`,
        };
      }
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel();
        return httpError(res.status, current);
      }
      const body = await readCapped(res, o.maxBytes, current);
      return {
        kind: 'ok',
        body,
        contentType: res.headers.get('content-type'),
        etag: res.headers.get('etag'),
        lastModified: res.headers.get('last-modified'),
        finalUrl: current,
      };
    }
  } catch (err) {
    return classifyFetchError(err, current, o.timeoutMs);
  }
}

function httpError(status: number, url: string, detail?: string): FetchOutcome {
  const hint =
    status === 404 || status === 410
      ? '; the feed may have moved'
      : status >= 500
        ? '; the site is having trouble'
        : '';
  return {
    kind: 'error',
    code: 'feed_http_status',
    status,
    message: `feeds: ${url} answered HTTP ${status}${detail ? ` (${detail})` : ''}${hint}`,
  };
}

/** Reads the body, stopping as soon as it passes `maxBytes` (so endless or bomb bodies cost little). */
async function readCapped(res: Response, maxBytes: number, url: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  const encoded = res.headers.get('content-encoding');
  if (!encoded && Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(url, maxBytes);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(url: string, maxBytes: number): AppError {
  return new AppError(
    'feed_too_large',
    `feeds: ${url} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; not read`,
  );
}

/** Parses Retry-After (seconds or an HTTP date). @unit milliseconds */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

function causeChain(err: unknown): { codes: string[]; messages: string[]; names: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  const names: string[] = [];
  let e: unknown = err;
  for (let i = 0; e && i < 6; i++) {
    const x = e as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    if (typeof x.code === 'string') codes.push(x.code);
    if (typeof x.message === 'string') messages.push(x.message);
    if (typeof x.name === 'string') names.push(x.name);
    e = x.cause;
  }
  return { codes, messages, names };
}

function classifyFetchError(err: unknown, url: string, timeoutMs: number): FetchOutcome {
  if (err instanceof AppError) return { kind: 'error', code: err.code, message: err.message };
  const { codes, messages, names } = causeChain(err);
  let host = url;
  try {
    host = new URL(url).host;
  } catch {}
  const has = (...c: string[]) => c.some((x) => codes.includes(x));
  if (has('EFORBIDDEN')) {
    const m = messages.find((x) => x.startsWith('feeds: refused')) ?? `feeds: refused ${host}`;
    return { kind: 'error', code: 'url_forbidden', message: m };
  }
  if (
    names.includes('TimeoutError') ||
    names.includes('AbortError') ||
    has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT')
  ) {
    return {
      kind: 'error',
      code: 'feed_timeout',
      message: `feeds: ${host} did not answer within ${Math.round(timeoutMs / 1000)} s`,
    };
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA')) {
    return {
      kind: 'error',
      code: 'feed_dns',
      message: `feeds: cannot resolve ${host} (no DNS answer; offline or the domain is gone)`,
    };
  }
  if (has('ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED')) {
    return {
      kind: 'error',
      code: 'feed_connect',
      message: `feeds: connection to ${host} failed (${codes[codes.length - 1]})`,
    };
  }
  const detail = messages[messages.length - 1] ?? String(err);
  return { kind: 'error', code: 'feed_network', message: `feeds: fetching ${host} failed: ${detail}` };
}
