import { Agent, fetch as undiciFetch } from 'undici';
import { createGuardedLookup } from './url-guard.js';

/** The fetch signature the feed code needs; tests may pass any function with it. */
export type FetchLike = (url: string, init: RequestInit & { signal?: AbortSignal }) => Promise<Response>;

/** Settings for the outgoing HTTP client. */
export interface HttpFetchOptions {
  allowPrivate: boolean;
  /** @unit milliseconds */
  connectTimeoutMs?: number;
}

/**
 * A fetch whose connections pass the SSRF guard after DNS resolution (undici with a guarded lookup).
 * Decompresses gzip, deflate and br; callers cap the decompressed size while reading.
 */
export function createHttpFetch(options: HttpFetchOptions): { fetch: FetchLike; close: () => Promise<void> } {
  const agent = new Agent({
    connect: { lookup: createGuardedLookup(options.allowPrivate), timeout: options.connectTimeoutMs ?? 10_000 },
    connections: 4,
    keepAliveTimeout: 4_000,
  });
  const fetch: FetchLike = (url, init) =>
    undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
  return { fetch, close: () => agent.close() };
}
