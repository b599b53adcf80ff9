import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type LocalServer, startServer } from '../helpers/feed-server.js';
import { firstUrlMismatches } from '../helpers/first-urls.js';
import { normalizedItem } from '../helpers/normalized-item.js';
import { rss, testServices } from '../helpers/test-services.js';

/**
 * The inverted index clustering searches (story_terms) is written as a difference when a story grows:
 * after every cycle it must hold exactly each live story's heaviest terms, or later reports would not
 * find their story (a missing term) or would drag in stale candidates (an extra one). Counts, dates and
 * the first source with a URL are kept on the story row as reports join: they must equal the links'; so
 * are its origin and openness tags as tagging rewrites them: they must equal its tag rows'.
 */
let feeds: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;
type Entry = { title: string; link?: string; guid: string; date: string; description: string };
const served: Record<'wire' | 'tech', Entry[]> = { wire: [], tech: [] };

beforeEach(async () => {
  feeds = await startServer();
  t = await testServices();
  for (const name of ['wire', 'tech'] as const) {
    served[name] = [];
    feeds.route(
      `/${name}`,
      (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(served[name], name)),
    );
    await t.services.feeds.add({ url: feeds.url(`/${name}`), title: name }, t.clock.now());
  }
});
afterEach(async () => {
  await t.close();
  await feeds.close();
});

async function indexMatchesProfiles(): Promise<number> {
  const stories = await t.services.sql.all<{ id: number }>('SELECT id FROM stories ORDER BY id');
  for (const { id } of stories) {
    const profile = await t.services.stories.candidate(id);
    if (!profile) throw new Error(`story ${id} has no profile`);
    const stored = await t.services.sql.all<{ term: string }>('SELECT term FROM story_terms WHERE story_id = ?', [id]);
    expect(stored.map((r) => r.term).sort(), `story ${id}`).toEqual(t.services.stories.indexedTerms(profile).sort());
  }
  const orphans = await t.services.sql.get<{ n: number }>(
    'SELECT count(*) AS n FROM story_terms WHERE story_id NOT IN (SELECT id FROM stories)',
  );
  expect(orphans?.n).toBe(0);
  return stories.length;
}

/** Counts and dates move by increments as reports join (several per slice): they must equal the links'. */
async function countsMatchLinks(): Promise<void> {
  const rows = await t.services.sql.all(
    `SELECT s.id, s.item_count, s.source_count, s.published_at, s.last_item_at,
       (SELECT count(*) FROM story_items si WHERE si.story_id = s.id) AS items,
       (SELECT count(DISTINCT si.feed_id) FROM story_items si WHERE si.story_id = s.id) AS sources,
       (SELECT min(i.published_at) FROM story_items si JOIN items i ON i.id = si.item_id WHERE si.story_id = s.id) AS first,
       (SELECT max(i.published_at) FROM story_items si JOIN items i ON i.id = si.item_id WHERE si.story_id = s.id) AS last
     FROM stories s`,
  );
  for (const r of rows as Record<string, unknown>[]) {
    expect(r.item_count, `story ${r.id}`).toBe(r.items);
    expect(r.source_count, `story ${r.id}`).toBe(r.sources);
    expect(r.published_at, `story ${r.id}`).toBe(r.first);
    expect(r.last_item_at, `story ${r.id}`).toBe(r.last);
  }
  // Each tag row carries its story's date (search finds an entity's newest stories by it).
  const tags = await t.services.sql.all<{ story_id: number; at: string | null; published_at: string }>(
    'SELECT se.story_id, se.published_at AS at, s.published_at FROM story_entities se JOIN stories s ON s.id = se.story_id',
  );
  expect(tags.length).toBeGreaterThan(0);
  for (const r of tags) expect(r.at, `tags of story ${r.story_id}`).toBe(r.published_at);
  // The archive's size, kept by triggers for search (0021), is the number of stories.
  const size = await t.services.sql.get<{ kept: number; counted: number }>(
    'SELECT (SELECT n FROM story_count) AS kept, (SELECT count(*) FROM stories) AS counted',
  );
  expect(size?.kept).toBe(size?.counted);
  // Each story's origin and openness tags are on its row too (search filters by them), ordered by kind, key.
  const filters = await t.services.sql.all<{ id: number; filter_tags: string | null }>(
    'SELECT id, filter_tags FROM stories ORDER BY id',
  );
  const linked = await t.services.sql.all<{ story_id: number; kind: string; key: string }>(
    `SELECT se.story_id, e.kind, e.key FROM story_entities se JOIN entities e ON e.id = se.entity_id
     WHERE e.kind IN ('origin', 'openness')`,
  );
  expect(linked.length).toBeGreaterThan(0);
  for (const r of filters) {
    const mine = linked
      .filter((l) => l.story_id === r.id)
      .map((l) => [l.kind, l.key])
      .sort((a, b) => (`${a[0]} ${a[1]}` < `${b[0]} ${b[1]}` ? -1 : 1));
    expect(r.filter_tags === null ? null : JSON.parse(r.filter_tags), `filter tags of story ${r.id}`).toEqual(
      mine.length > 0 ? mine : null,
    );
  }
}

describe('the story index and counts as stories grow', () => {
  it('holds each story’s heaviest terms after every cycle, as new reports shift them', async () => {
    const day = (d: number, h: number) => new Date(Date.UTC(2025, 6, d, h)).toUTCString();
    const waves = [
      [
        ['Moonshot releases Kimi K2, an open trillion-parameter model', 'Kimi K2 has one trillion parameters.'],
        ['Nvidia shares jump after record data-center quarter', 'Nvidia reported record revenue from data centers.'],
      ],
      [
        ['Kimi K2 tops open-model leaderboards in agentic coding', 'Benchmarks show Kimi K2 leading agentic coding.'],
        ['Kimi K2 agentic coding benchmarks: Moonshot beats rivals', 'Moonshot says agentic coding tool use improved.'],
        // Without a link, and older than the story's first report: the story's first source URL stays.
        [
          'Kimi K2 agentic coding preview from Moonshot',
          'Moonshot previewed Kimi K2 agentic coding.',
          { link: null, date: day(9, 6) },
        ],
      ],
      [
        ['Developers adopt Kimi K2 for agentic coding workflows', 'Agentic coding teams switch to Kimi K2 tool calls.'],
        ['Nvidia data-center revenue doubles as Blackwell ships', 'Blackwell shipments lifted Nvidia data centers.'],
        // Older than every linked report of the story: its first source URL moves back to this one.
        [
          'Moonshot briefs press on Kimi K2 agentic coding',
          'Kimi K2 agentic coding briefing by Moonshot.',
          { link: 'https://early.example/k2', date: day(9, 7) },
        ],
      ],
    ] as [string, string, { link: string | null; date: string }?][][];
    let n = 0;
    for (const [w, wave] of waves.entries()) {
      t.clock.set(new Date(Date.UTC(2025, 6, 10 + w, 12)).toISOString());
      for (const [title, description, at] of wave) {
        n++;
        const link = at ? at.link : `https://wire.example/${n}`;
        served[n % 3 === 0 ? 'tech' : 'wire'].push({
          title,
          description,
          ...(link ? { link } : {}),
          guid: `g${n}`,
          date: at?.date ?? day(10 + w, 8 + (n % 3)),
        });
      }
      await runIngest(t.services, { all: true });
      expect(await indexMatchesProfiles()).toBeGreaterThan(0);
      await countsMatchLinks();
      expect(await firstUrlMismatches(t.services.sql)).toEqual([]);
    }
    // The early report joined the Kimi story, whose oldest report has no link: the check above saw the
    // first source URL move back past a newer one, and skip a source without a URL.
    const kimi = await t.services.sql.get<{ first_url: string; oldest: string | null }>(
      `SELECT s.first_url, (SELECT i.url FROM story_items si JOIN items i ON i.id = si.item_id WHERE si.story_id = s.id
         ORDER BY si.published_at, si.item_id LIMIT 1) AS oldest
       FROM stories s WHERE s.first_url = 'https://early.example/k2'`,
    );
    expect(kimi).toEqual({ first_url: 'https://early.example/k2', oldest: null });
    // The reports of each event share a story (the index found them), so the checks above saw grown stories.
    const sizes = await t.services.sql.all<{ n: number; f: number }>(
      'SELECT item_count AS n, source_count AS f FROM stories ORDER BY n DESC',
    );
    expect(sizes[0]?.n).toBeGreaterThanOrEqual(3);
    expect(sizes[0]?.f).toBe(2);
    // Late reports older than the story's first moved its date back (and its tags', checked above).
    const moved = await t.services.sql.get<{ published_at: string }>(
      `SELECT s.published_at FROM stories s JOIN story_items si ON si.story_id = s.id JOIN items i ON i.id = si.item_id
       WHERE i.title LIKE 'Moonshot briefs press%'`,
    );
    expect(moved?.published_at).toBe(new Date(day(9, 6)).toISOString());
  });

  it('moves a story’s tag rows with its date, whatever changes the date', async () => {
    served.wire.push({
      title: 'Moonshot releases Kimi K2, an open trillion-parameter model',
      description: 'Kimi K2 has one trillion parameters.',
      link: 'https://wire.example/k2',
      guid: 'k2',
      date: new Date(Date.UTC(2025, 6, 10, 8)).toUTCString(),
    });
    t.clock.set('2025-07-10T12:00:00.000Z');
    await runIngest(t.services, { all: true });
    const story = (await t.services.sql.get<{ id: number }>('SELECT id FROM stories'))?.id as number;
    expect(
      (await t.services.sql.all('SELECT 1 FROM story_entities WHERE story_id = ?', [story])).length,
    ).toBeGreaterThan(0);
    await t.services.sql.run('UPDATE stories SET published_at = ? WHERE id = ?', ['2025-07-01T00:00:00.000Z', story]);
    const dates = await t.services.sql.all<{ at: string }>(
      'SELECT DISTINCT published_at AS at FROM story_entities WHERE story_id = ?',
      [story],
    );
    expect(dates).toEqual([{ at: '2025-07-01T00:00:00.000Z' }]);
  });
});

describe('a story’s first source URL, kept on its row', () => {
  it('follows creation, joins (one at a time and batched) and merges', async () => {
    const [wire, tech] = (await t.services.feeds.list()).map((f) => f.id) as [number, number];
    const now = t.clock.now();
    const at = (h: number) => new Date(Date.UTC(2026, 10, 20, h)).toISOString();
    const [a, b, c] = await t.services.items.insertMany(
      wire,
      [
        normalizedItem(1, { url: null, canonicalUrl: null, publishedAt: at(5) }),
        normalizedItem(2, { publishedAt: at(9) }),
        normalizedItem(3, { publishedAt: at(8) }),
      ],
      now,
    );
    const [d] = await t.services.items.insertMany(tech, [normalizedItem(4, { publishedAt: at(7) })], now);
    const item = (id: number | undefined, h: number, feedId = wire) => ({
      id: id as number,
      title: `Item ${id}`,
      publishedAt: at(h),
      feedId,
    });
    const kept = async (id: number) =>
      (await t.services.sql.get<{ url: string | null }>('SELECT first_url AS url FROM stories WHERE id = ?', [id]))
        ?.url;
    const stories = t.services.stories;
    const s = await stories.create(item(a, 5), now);
    expect(await kept(s)).toBeNull();
    await stories.join(s, item(b, 9), 'similar', 1, null, now);
    expect(await kept(s)).toBe('https://e.com/2');
    const batch = stories.placements();
    await stories.join(s, item(c, 8), 'similar', 1, null, now, batch);
    await stories.flush(batch, now);
    expect(await kept(s)).toBe('https://e.com/3');
    const other = await stories.create(item(d, 7, tech), now);
    expect(await kept(other)).toBe('https://e.com/4');
    expect(await firstUrlMismatches(t.services.sql)).toEqual([]);
    const size = () => t.services.sql.get<{ n: number }>('SELECT n FROM story_count');
    expect(await size()).toEqual({ n: 2 });
    await stories.merge(other, s, now);
    expect(await kept(s)).toBe('https://e.com/4');
    expect(await firstUrlMismatches(t.services.sql)).toEqual([]);
    // The merged-away story leaves the archive's kept size (search reads it: 0021).
    expect(await size()).toEqual({ n: 1 });
  });
});
