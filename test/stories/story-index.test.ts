import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type LocalServer, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

/**
 * The inverted index clustering searches (story_terms) is written as a difference when a story grows:
 * after every cycle it must hold exactly each live story's heaviest terms, or later reports would not
 * find their story (a missing term) or would drag in stale candidates (an extra one).
 */
let feeds: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;
const served: { title: string; link: string; guid: string; date: string; description: string }[] = [];

beforeEach(async () => {
  served.length = 0;
  feeds = await startServer();
  t = await testServices();
  feeds.route(
    '/wire',
    (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(served, 'wire')),
  );
  await t.services.feeds.add({ url: feeds.url('/wire'), title: 'wire' }, t.clock.now());
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

describe('the story index as stories grow', () => {
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
      ],
      [
        ['Developers adopt Kimi K2 for agentic coding workflows', 'Agentic coding teams switch to Kimi K2 tool calls.'],
        ['Nvidia data-center revenue doubles as Blackwell ships', 'Blackwell shipments lifted Nvidia data centers.'],
      ],
    ];
    let n = 0;
    for (const [w, wave] of waves.entries()) {
      t.clock.set(new Date(Date.UTC(2025, 6, 10 + w, 12)).toISOString());
      for (const [title, description] of wave) {
        n++;
        served.push({
          title: title as string,
          description: description as string,
          link: `https://wire.example/${n}`,
          guid: `g${n}`,
          date: day(10 + w, 8 + (n % 3)),
        });
      }
      await runIngest(t.services, { all: true });
      expect(await indexMatchesProfiles()).toBeGreaterThan(0);
    }
    // The reports of each event share a story (the index found them), so the checks above saw grown stories.
    const sizes = await t.services.sql.all<{ n: number }>('SELECT item_count AS n FROM stories ORDER BY n DESC');
    expect(sizes[0]?.n).toBeGreaterThanOrEqual(3);
  });
});
