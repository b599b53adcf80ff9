import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetch } from '../../src/feeds/create-http-fetch.js';
import { type FetchFeedOptions, fetchFeed, parseRetryAfter } from '../../src/feeds/fetch-feed.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';

const FEED = '<rss version="2.0"><channel><title>t</title><item><title>a</title></item></channel></rss>';
let server: LocalServer;
const open = createHttpFetch({ allowPrivate: true });
const guarded = createHttpFetch({ allowPrivate: false });
const now = new Date('2026-11-20T08:00:00Z');
const opts = (o: Partial<FetchFeedOptions> = {}): FetchFeedOptions => ({
  fetch: open.fetch,
  now,
  allowPrivate: true,
  timeoutMs: 1500,
  maxBytes: 64 * 1024,
  ...o,
});

beforeAll(async () => {
  server = await startServer({
    '/ok': serve(FEED),
    '/etag': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Fri, 20 Nov 2026 07:00:00 GMT' }).end(FEED);
    },
    '/lm': (req, res) => {
      if (req.headers['if-modified-since'] === 'Fri, 20 Nov 2026 07:00:00 GMT') return void res.writeHead(304).end();
      res.writeHead(200, { 'last-modified': 'Fri, 20 Nov 2026 07:00:00 GMT' }).end(FEED);
    },
    '/r1': (_q, res) => void res.writeHead(301, { location: '/r2' }).end(),
    '/r2': (_q, res) => void res.writeHead(302, { location: '/ok' }).end(),
    '/loop': (_q, res) => void res.writeHead(302, { location: '/loop' }).end(),
    '/to-metadata': (_q, res) =>
      void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    '/to-file': (_q, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    '/big-declared': (_q, res) => void res.writeHead(200, { 'content-length': String(10_000_000) }).end(),
    '/endless': (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const pump = () => {
        while (res.write(chunk)) {}
      };
      res.on('drain', pump);
      res.on('close', () => res.off('drain', pump));
      pump();
    },
    '/slow': (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss>');
      // Never finishes: the total timeout must end it.
    },
    '/hang': () => {},
    '/gzip': (_q, res) =>
      void res
        .writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' })
        .end(gzipSync(FEED)),
    '/bomb': (_q, res) =>
      void res
        .writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' })
        .end(gzipSync(Buffer.alloc(50 * 1024 * 1024))),
    '/429': (_q, res) => void res.writeHead(429, { 'retry-after': '120' }).end(),
    '/500': (_q, res) => void res.writeHead(500).end('oops'),
    '/reset': (req) => void req.socket.destroy(),
  });
});
afterAll(async () => {
  await server.close();
  await open.close();
  await guarded.close();
});

describe('fetchFeed', () => {
  it('returns the body with its validators and sends a descriptive User-Agent', async () => {
    const out = await fetchFeed(server.url('/etag'), opts());
    expect(out.kind).toBe('ok');
    if (out.kind !== 'ok') return;
    expect(out.body.toString()).toBe(FEED);
    expect(out.etag).toBe('"v1"');
    expect(server.requests.at(-1)?.headers['user-agent']).toMatch(/^ai-news\//);
  });

  it('sends If-None-Match and treats 304 as not modified', async () => {
    const out = await fetchFeed(server.url('/etag'), opts({ etag: '"v1"' }));
    expect(out.kind).toBe('not-modified');
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
  });

  it('sends If-Modified-Since', async () => {
    const out = await fetchFeed(server.url('/lm'), opts({ lastModified: 'Fri, 20 Nov 2026 07:00:00 GMT' }));
    expect(out.kind).toBe('not-modified');
  });

  it('follows redirects and reports the final URL', async () => {
    const out = await fetchFeed(server.url('/r1'), opts());
    expect(out.kind === 'ok' && out.finalUrl).toBe(server.url('/ok'));
  });

  it('stops a redirect loop after 5 hops', async () => {
    const before = server.requests.length;
    const out = await fetchFeed(server.url('/loop'), opts());
    expect(out).toMatchObject({ kind: 'error', code: 'feed_too_many_redirects' });
    expect(server.requests.length - before).toBe(6);
  });

  it('re-checks every redirect hop: metadata addresses and other schemes are refused', async () => {
    expect(await fetchFeed(server.url('/to-metadata'), opts())).toMatchObject({ kind: 'error', code: 'url_forbidden' });
    expect(await fetchFeed(server.url('/to-file'), opts())).toMatchObject({ kind: 'error', code: 'url_forbidden' });
  });

  it('refuses loopback literals and host names resolving to loopback unless opted in', async () => {
    const literal = await fetchFeed(server.url('/ok'), opts({ fetch: guarded.fetch, allowPrivate: false }));
    expect(literal).toMatchObject({ kind: 'error', code: 'url_forbidden' });
    const byName = await fetchFeed(
      server.url('/ok').replace('127.0.0.1', 'localhost'),
      opts({ fetch: guarded.fetch, allowPrivate: false }),
    );
    expect(byName).toMatchObject({ kind: 'error', code: 'url_forbidden' });
    expect(byName.kind === 'error' && byName.message).toMatch(/localhost.*loopback/);
  });

  it('refuses a declared oversized body without reading it', async () => {
    expect(await fetchFeed(server.url('/big-declared'), opts())).toMatchObject({
      kind: 'error',
      code: 'feed_too_large',
    });
  });

  it('stops reading an endless body at the size cap', async () => {
    expect(await fetchFeed(server.url('/endless'), opts())).toMatchObject({ kind: 'error', code: 'feed_too_large' });
  });

  it('times out a body that trickles and a server that never answers', async () => {
    expect(await fetchFeed(server.url('/slow'), opts({ timeoutMs: 300 }))).toMatchObject({
      kind: 'error',
      code: 'feed_timeout',
    });
    expect(await fetchFeed(server.url('/hang'), opts({ timeoutMs: 300 }))).toMatchObject({
      kind: 'error',
      code: 'feed_timeout',
    });
  });

  it('decompresses gzip and caps the decompressed size (gzip bomb)', async () => {
    const ok = await fetchFeed(server.url('/gzip'), opts());
    expect(ok.kind === 'ok' && ok.body.toString()).toBe(FEED);
    expect(await fetchFeed(server.url('/bomb'), opts())).toMatchObject({ kind: 'error', code: 'feed_too_large' });
  });

  it('reports 429 with its Retry-After and 500 as an HTTP error', async () => {
    expect(await fetchFeed(server.url('/429'), opts())).toMatchObject({
      kind: 'error',
      code: 'feed_rate_limited',
      retryAfterMs: 120_000,
    });
    const e500 = await fetchFeed(server.url('/500'), opts());
    expect(e500).toMatchObject({ kind: 'error', code: 'feed_http_status', status: 500 });
    expect(e500.kind === 'error' && e500.message).toMatch(/HTTP 500/);
  });

  it('reports a connection reset as a connection error', async () => {
    expect(await fetchFeed(server.url('/reset'), opts())).toMatchObject({ kind: 'error', code: 'feed_connect' });
  });

  it('reports an unknown host as a DNS error', async () => {
    const out = await fetchFeed('http://no-such-host.invalid/feed', opts());
    expect(out).toMatchObject({ kind: 'error', code: 'feed_dns' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 20 Nov 2026 08:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
