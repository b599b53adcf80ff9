import { createServer, type IncomingMessage } from 'node:http';
import { listenOnLoopback } from './listen-loopback.js';

/** One rankings row as OpenRouter serves it (`total_tokens` is a string). */
export interface FakeRankingRow {
  date: string;
  model_permaslug: string;
  total_tokens: string;
}

/**
 * A stand-in for OpenRouter on loopback: `GET /api/v1/models` serves `models` (mutable), and
 * `GET /api/v1/datasets/rankings-daily` requires `Authorization: Bearer <key>`, honours `start_date`
 * and `end_date`, and answers `{ data, meta: { as_of, start_date, end_date, version } }`.
 */
export async function startFakeOpenRouter(options: { key: string; asOf?: string }) {
  const state = {
    models: [] as unknown[],
    rankings: [] as FakeRankingRow[],
    asOf: options.asOf ?? '2026-11-20T06:00:00Z',
    requests: [] as { path: string; query: URLSearchParams; headers: IncomingMessage['headers'] }[],
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const json = (status: number, body: unknown) =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/api/v1/models') return json(200, { data: state.models });
    if (url.pathname === '/api/v1/datasets/rankings-daily') {
      if (req.headers.authorization !== `Bearer ${options.key}`)
        return json(401, { error: { code: 401, message: 'No auth credentials found' } });
      const start = url.searchParams.get('start_date') ?? '0000-00-00';
      const end = url.searchParams.get('end_date') ?? '9999-99-99';
      const data = state.rankings.filter((r) => r.date >= start && r.date <= end);
      return json(200, { data, meta: { as_of: state.asOf, start_date: start, end_date: end, version: '1' } });
    }
    res.writeHead(404).end('not found');
  });
  const { port, close } = await listenOnLoopback(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    ...state,
    state,
    modelsUrl: `${origin}/api/v1/models`,
    rankingsUrl: `${origin}/api/v1/datasets/rankings-daily`,
    /** Requests made to one path. */
    requestsTo: (path: string) => state.requests.filter((r) => r.path === path),
    close,
  };
}

/** A model in the shape of OpenRouter's GET /api/v1/models, written for these tests. */
export function listedModel(
  id: string,
  name: string,
  o: {
    hf?: string | null;
    slug?: string;
    prompt?: string;
    completion?: string;
    context?: number;
    expiration?: string | null;
    created?: number;
  } = {},
) {
  return {
    id,
    canonical_slug: o.slug ?? id,
    name,
    created: o.created ?? 1_760_000_000,
    description: `${name} is a model.`,
    context_length: o.context ?? 131072,
    pricing: { prompt: o.prompt ?? '0.000001', completion: o.completion ?? '0.000002' },
    hugging_face_id: o.hf ?? null,
    expiration_date: o.expiration ?? null,
  };
}
