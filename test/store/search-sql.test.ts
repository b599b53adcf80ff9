import { describe, expect, it } from 'vitest';
import { type SearchPlan, searchQuery } from '../../src/store/search-sql.js';

/**
 * A search's statement text depends only on its shape, so each text is prepared once and (PostgreSQL)
 * soon runs its generic plan: words, time and filters are parameters; entities come in fours.
 */
describe('search statement texts', () => {
  const plan = (p: Partial<SearchPlan>): SearchPlan => ({
    terms: [],
    entities: [],
    since: null,
    runs: [],
    filters: false,
    ...p,
  });
  for (const engine of ['sqlite', 'postgres'] as const)
    it(`are one per shape on ${engine}`, () => {
      const text = (p: Partial<SearchPlan>) => searchQuery({ engine }, plan(p)).text;
      const words = [
        text({}),
        text({ terms: ['gpt'] }),
        text({ terms: ['open', 'weights'], since: '2026-11-01T00:00:00.000Z', filters: true }),
      ];
      expect(new Set(words).size).toBe(1);
      const named = [
        text({ entities: [['lab', 'openai']] }),
        text({
          entities: [
            ['lab', 'openai'],
            ['family', 'gpt'],
            ['version', 'gpt@5'],
          ],
          terms: ['mode'],
          filters: true,
        }),
      ];
      expect(new Set(named).size).toBe(1);
      expect(named[0]).not.toBe(words[0]);
      // Five entities take the next four, a CJK run and a team their own texts.
      expect(text({ entities: Array.from({ length: 5 }, (_, i) => ['lab', `l${i}`]) })).not.toBe(named[0]);
      expect(text({ runs: ['发布'] })).not.toBe(words[0]);
      expect(text({ team: 'T1' })).not.toBe(words[0]);
      expect(text({ team: 'T1' })).toBe(text({ team: 'T2', terms: ['gpt'] }));
    });
});
