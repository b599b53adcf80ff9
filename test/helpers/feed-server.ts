import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './listen-loopback.js';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A real HTTP server on loopback serving test routes; records every request. */
export interface LocalServer {
  origin: string;
  url(path: string): string;
  requests: { path: string; headers: IncomingMessage['headers'] }[];
  route(path: string, handler: Route): void;
  close(): Promise<void>;
}

export async function startServer(routes: Record<string, Route> = {}): Promise<LocalServer> {
  const table = new Map(Object.entries(routes));
  const requests: LocalServer['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    const handler = table.get(path) ?? table.get(path.split('?')[0] ?? '');
    if (!handler) {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      await handler(req, res);
    } catch {
      res.destroy();
    }
  });
  const { port, close } = await listenOnLoopback(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (p) => origin + p,
    requests,
    route: (p, h) => table.set(p, h),
    close: async () => {
      await close();
    },
  };
}

/** A route that serves `body` with a content type and optional extra headers. */
export function serve(
  body: string | Buffer,
  contentType = 'application/rss+xml; charset=utf-8',
  headers: Record<string, string> = {},
): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': contentType, ...headers });
    res.end(body);
  };
}

/** A route honouring If-None-Match with the given ETag. */
export function serveWithEtag(getBody: () => string, etag: string): Route {
  return (req, res) => {
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(getBody());
  };
}
