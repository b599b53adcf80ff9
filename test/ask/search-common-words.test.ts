import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/ask/parse-query.js';
import { searchStories } from '../../src/ask/search-stories.js';
import { testServices } from '../helpers/test-services.js';

/**
 * Which words a search ranks by: those in at most max(50, a tenth of the archive) stories. The lookup
 * reads the archive's size only when some word is in more than 50 stories, so both sides of that line
 * are checked on an archive of 600 stories (on both engines).
 */
let t: Awaited<ReturnType<typeof testServices>>;

/** Stories 1..600: "alpha" in 1..55 (a tenth of 600 is 60), "gamma" in 101..170, "beta" in 591..593. */
const words = (i: number) =>
  [i <= 55 ? 'alpha' : '', i > 100 && i <= 170 ? 'gamma' : '', i > 590 && i <= 593 ? 'beta' : '', `filler${i}`]
    .filter(Boolean)
    .join(' ');

beforeAll(async () => {
  t = await testServices();
  const at = t.clock.now().toISOString();
  await t.services.sql.write(async (tx) => {
    for (let i = 1; i <= 600; i++) {
      const title = `Story ${i} ${words(i)}`;
      await tx.run(
        `INSERT INTO stories (id, first_seen_at, updated_at, published_at, last_item_at, title, item_count, source_count)
         VALUES (?, ?, ?, ?, ?, ?, 1, 1)`,
        [i, at, at, at, at, title],
      );
      await tx.run('INSERT INTO stories_fts (rowid, title, summary, sources) VALUES (?, ?, ?, ?)', [i, title, '', '']);
    }
  });
});
afterAll(async () => {
  await t.close();
});

const ids = async (query: string) =>
  (await searchStories(t.services, parseQuery(query, t.services.matcher), { now: t.clock.now(), limit: 1000 })).map(
    (h) => h.id,
  );

describe('common words', () => {
  it('a word in more than 50 stories but at most a tenth of the archive still selects stories', async () => {
    const found = await ids('alpha beta');
    expect(found).toHaveLength(58);
    expect(new Set(found)).toEqual(new Set([...Array.from({ length: 55 }, (_, i) => i + 1), 591, 592, 593]));
  });

  it('a word in more than a tenth of the archive only ranks: the other words select', async () => {
    expect((await ids('gamma beta')).sort((a, b) => a - b)).toEqual([591, 592, 593]);
  });

  it('only common words: the newest stories holding them all', async () => {
    expect(await ids('gamma')).toHaveLength(70);
  });
});
