import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/ask/parse-query.js';
import { searchStories } from '../../src/ask/search-stories.js';
import { runCommand } from '../../src/commands/run-command.js';
import type { CommandContext } from '../../src/commands/types.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

/**
 * Search links each hit to its first source with a URL, for all hits in one statement. It must agree with
 * reading each story's sources: the oldest linked source among the first `limit`, only the team's feeds.
 * Search reads the story's first source with a URL from its row, and this lookup only when that source is
 * from a feed the team does not read.
 */
let feeds: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;
const TITLE = 'DeepSeek releases DeepSeek-V4 under MIT license';
const ctx = (team: string): CommandContext => ({
  services: t.services,
  actor: { id: `admin-${team}`, isAdmin: async () => true },
  teamId: team,
  surface: 'cli',
  sink: { post: async () => undefined } as unknown as CommandContext['sink'],
});

beforeEach(async () => {
  feeds = await startServer({
    // The oldest report has no link; the next two do.
    '/plain': serve(rss([{ title: TITLE, guid: 'p1', date: 'Sat, 28 Nov 2026 01:00:00 GMT', description: TITLE }])),
    '/b': serve(rss([{ title: TITLE, link: 'https://b.example/v4', date: 'Sat, 28 Nov 2026 02:00:00 GMT' }])),
    '/c': serve(rss([{ title: TITLE, link: 'https://c.example/v4', date: 'Sat, 28 Nov 2026 03:00:00 GMT' }])),
    '/other': serve(rss([{ title: 'Mistral AI ships Mistral Large 3', link: 'https://o.example/l3' }])),
  });
  t = await testServices();
  t.clock.set('2026-11-29T06:00:00Z');
  for (const [team, path] of [
    ['TA', '/plain'],
    ['TA', '/c'],
    ['TB', '/plain'],
    ['TB', '/b'],
    ['TB', '/other'],
  ] as const)
    expect((await runCommand(ctx(team), `feeds add ${feeds.url(path)}`)).text).toMatch(/^Added/);
  await runIngest(t.services);
});
afterEach(async () => {
  await t.close();
  await feeds.close();
});

describe('first source URLs of many stories', () => {
  it('agree with each story’s sources, per team and limit', async () => {
    const ids = (await t.services.sql.all<{ id: number }>('SELECT id FROM stories ORDER BY id')).map((r) => r.id);
    const v4 = (await t.services.sql.get<{ id: number }>('SELECT id FROM stories WHERE title = ?', [TITLE]))?.id;
    expect(ids).toHaveLength(2);
    expect((await t.services.stories.sources(v4 as number)).map((s) => s.url)).toEqual([
      null,
      'https://b.example/v4',
      'https://c.example/v4',
    ]);
    const cases: [number, string | undefined, Record<number, string>][] = [
      [100, undefined, { [v4 as number]: 'https://b.example/v4' }],
      [100, 'TA', { [v4 as number]: 'https://c.example/v4' }],
      [100, 'TB', { [v4 as number]: 'https://b.example/v4' }],
      [1, undefined, {}],
      [100, 'TC', {}],
    ];
    for (const [limit, team, expected] of cases) {
      const got = await t.services.stories.firstSourceUrls([...ids, 999_999], limit, team);
      const one = new Map<number, string>();
      for (const id of ids) {
        const url = (await t.services.stories.sources(id, limit, team)).find((s) => s.url)?.url;
        if (url) one.set(id, url);
      }
      expect(got, `${team} ${limit}`).toEqual(one);
      const mine = new Map([...got].filter(([id]) => id === v4));
      expect(mine, `${team} ${limit}`).toEqual(new Map(Object.entries(expected).map(([k, u]) => [Number(k), u])));
    }
    expect(await t.services.stories.firstSourceUrls([], 100)).toEqual(new Map());
  });

  it('link each search hit to the first source with a URL that the team reads', async () => {
    // The story keeps its first source with a URL (b.example, TB's feed); TA reads /c instead.
    const url = async (team?: string) =>
      (
        await searchStories(t.services, parseQuery('DeepSeek-V4 MIT license', t.services.matcher), {
          now: t.clock.now(),
          ...(team === undefined ? {} : { team }),
        })
      ).map((h) => h.url);
    expect(await url()).toEqual(['https://b.example/v4']);
    expect(await url('TB')).toEqual(['https://b.example/v4']);
    expect(await url('TA')).toEqual(['https://c.example/v4']);
    expect(await url('TC')).toEqual([]);
  });
});
