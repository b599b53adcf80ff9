import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildServices } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import { runIngest } from '../src/ingest/run-ingest.js';
import { sqliteOf } from '../test/helpers/test-services.js';
import type { RealItem, RealNewsSet } from './real-news-set.js';
import type { Prediction } from './score-real-news.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One outlet's RSS document with the items published by `now`, newest first, as a real feed serves them. */
function outletFeed(outlet: string, items: RealItem[], now: number): { xml: string; newest: number } {
  const visible = items.filter((it) => Date.parse(it.published) <= now);
  visible.sort((a, b) => Date.parse(b.published) - Date.parse(a.published));
  const body = visible
    .map(
      (it) =>
        `<item><title>${esc(it.title)}</title><link>${esc(it.url)}</link><guid isPermaLink="false">${esc(it.url)}</guid>` +
        `<pubDate>${new Date(it.published).toUTCString()}</pubDate><description>${esc(it.summary)}</description></item>`,
    )
    .join('');
  const lang = items[0]?.lang ?? 'en';
  const xml = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${esc(outlet)}</title><link>https://example.org/</link><language>${lang}</language>${body}</channel></rss>`;
  return { xml, newest: visible.length ? Date.parse(visible[0]?.published ?? '') : 0 };
}

/** Per report: the story it landed in and why it joined (for `--explain`-style diagnostics). */
export interface Placement {
  url: string;
  storyId: number;
  reason: string;
  detail: string | null;
}

/**
 * Serves the set through the real pipeline: one loopback feed per outlet, and a clock that walks
 * through the publication days, so each report arrives on its own day and is clustered against what
 * came before (placements made early can only be repaired by a merge, as in production). No model.
 */
export async function runRealNews(
  set: RealNewsSet,
  dir: string,
): Promise<Prediction & { placements: Placement[]; polls: number; merges: number }> {
  const byOutlet = new Map<string, RealItem[]>();
  for (const e of set.events)
    for (const it of e.items) byOutlet.set(it.outlet, [...(byOutlet.get(it.outlet) ?? []), it]);
  const outlets = [...byOutlet.keys()];
  let now = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const outlet = outlets[Number(req.url?.slice(1))];
    const items = outlet === undefined ? undefined : byOutlet.get(outlet);
    if (!outlet || !items) return void res.writeHead(404).end();
    const { xml, newest } = outletFeed(outlet, items, now);
    const since = Date.parse(String(req.headers['if-modified-since'] ?? ''));
    const lastModified = new Date(Math.max(newest, 0)).toUTCString();
    if (!Number.isNaN(since) && newest <= since)
      return void res.writeHead(304, { 'last-modified': lastModified }).end();
    res
      .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'last-modified': lastModified })
      .end(xml);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const clock = { now: () => new Date(now) };
  const s = await buildServices(
    loadConfig({
      DATABASE_PATH: join(dir, 'real-news.sqlite'),
      ALLOW_PRIVATE_FEED_URLS: 'true',
      // The built-in OpenRouter sources would reach the internet: the evaluation is news feeds only.
      OPENROUTER_MODELS_URL: 'off',
      OPENROUTER_RANKINGS_URL: 'off',
      LOG_LEVEL: 'error',
    }),
    { logger: silentLogger, clock },
  );
  try {
    const days = [...new Set(set.events.flatMap((e) => e.items.map((it) => it.published.slice(0, 10))))].sort();
    now = Date.parse(`${days[0]}T00:00:00Z`);
    for (const [i, o] of outlets.entries())
      await s.feeds.add({ url: `http://127.0.0.1:${port}/${i}`, title: o }, clock.now());
    let polls = 0;
    for (const day of days) {
      now = Date.parse(`${day}T23:59:59Z`);
      await runIngest(s, { all: true });
      polls++;
    }
    const rows = sqliteOf(s)
      .prepare(
        'SELECT i.guid AS url, si.story_id AS story, si.reason, si.detail FROM items i JOIN story_items si ON si.item_id = i.id',
      )
      .all() as { url: string; story: number; reason: string; detail: string | null }[];
    const storyOf = new Map(rows.map((r) => [r.url, r.story]));
    const labsOf = new Map<number, Set<string>>();
    for (const story of new Set(rows.map((r) => r.story)))
      labsOf.set(story, new Set((await s.entities.allTagsOf(story)).filter((t) => t.kind === 'lab').map((t) => t.key)));
    return {
      storyOf,
      labsOf,
      placements: rows.map((r) => ({ url: r.url, storyId: r.story, reason: r.reason, detail: r.detail })),
      polls,
      merges: (sqliteOf(s).prepare('SELECT count(*) AS n FROM story_merges').get() as { n: number }).n,
    };
  } finally {
    await s.close();
    server.close();
  }
}
