import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/ask/parse-query.js';
import { searchStories } from '../../src/ask/search-stories.js';
import { TEST_ENGINE, testServices } from '../helpers/test-services.js';

/**
 * On PostgreSQL a prepared statement is planned again at each of its first five runs (a custom plan for
 * the parameters), then kept generic if the generic plan is not dearer. A search's parts that run or not
 * per question are decided by parameters whose value a custom plan could use to drop them (cheaper than
 * the generic plan, which keeps them): unless those are hidden from the planner, PostgreSQL would plan
 * that search at every run, which was most of its time on the bench's archive.
 */
let t: Awaited<ReturnType<typeof testServices>>;

describe.skipIf(TEST_ENGINE !== 'postgres')('search plans on PostgreSQL', () => {
  beforeAll(async () => {
    t = await testServices();
    const at = t.clock.now().toISOString();
    await t.services.sql.write(async (tx) => {
      for (let i = 1; i <= 200; i++) {
        const title = `Story ${i} ${i % 2 ? 'open weights' : 'closed model'} filler${i}`;
        await tx.run(
          `INSERT INTO stories (id, first_seen_at, updated_at, published_at, last_item_at, title, item_count, source_count)
         VALUES (?, ?, ?, ?, ?, ?, 1, 1)`,
          [i, at, at, at, at, title],
        );
        await tx.run('INSERT INTO stories_fts (rowid, title, summary, sources) VALUES (?, ?, ?, ?)', [
          i,
          title,
          '',
          '',
        ]);
      }
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('each search statement runs its generic plan once warm, whatever the words, time and filters', async () => {
    const questions = [
      'open models from China this week',
      'filler7 weights',
      'what happened this month',
      'weights',
      'bitcoin today',
      'What did OpenAI launch?',
      'Is GPT-5 open source?',
    ];
    const sql = t.services.sql;
    // In one transaction, so every statement runs on one connection, whose prepared statements are listed.
    const plans = await sql.write(async () => {
      for (let round = 0; round < 12; round++)
        for (const q of questions)
          await searchStories(t.services, parseQuery(q, t.services.matcher), { now: t.clock.now() });
      return sql.all<{ generic: number; custom: number }>(
        `SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements
         WHERE statement LIKE '%stories_vocab%'`,
      );
    });
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect(p.generic, JSON.stringify(p)).toBeGreaterThan(p.custom);
  });
});
