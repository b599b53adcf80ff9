import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PREPARED_PER_CONNECTION, PreparedStatements, statementName } from '../../src/store/postgres-prepared.js';
import type { Sql } from '../../src/store/sql.js';
import { TEST_ENGINE, testPostgresUrl, testServices } from '../helpers/test-services.js';

/**
 * Both engines keep statements prepared (SQLite per text, PostgreSQL per connection from a text's second
 * run): what a caller sees must not depend on whether a statement was cached. Runs on both engines.
 */
let t: Awaited<ReturnType<typeof testServices>>;
let sql: Sql;

beforeEach(async () => {
  t = await testServices();
  sql = t.services.sql;
  await sql.run('CREATE TABLE probe (id INTEGER PRIMARY KEY, v TEXT)');
  await sql.run("INSERT INTO probe (id, v) VALUES (1, 'a')");
});
afterEach(async () => {
  await t.close();
});

describe('cached statements', () => {
  it('on PostgreSQL, every session of the service plans without parallel workers (short interactive statements)', async () => {
    if (sql.engine !== 'postgres') return;
    // Several at once, so the pool opens more than one connection.
    const settings = await Promise.all(
      Array.from({ length: 4 }, () =>
        sql.write(() => sql.get<{ v: string }>("SELECT current_setting('max_parallel_workers_per_gather') AS v")),
      ),
    );
    expect(settings.map((x) => x?.v)).toEqual(['0', '0', '0', '0']);
  });

  it('a cached SELECT * returns a column added since (a migration run by another process), outside and inside a write', async () => {
    for (let i = 0; i < 3; i++) expect(await sql.all('SELECT * FROM probe')).toEqual([{ id: 1, v: 'a' }]);
    await sql.run("ALTER TABLE probe ADD COLUMN w TEXT DEFAULT 'x'");
    expect(await sql.all('SELECT * FROM probe')).toEqual([{ id: 1, v: 'a', w: 'x' }]);
    for (let i = 0; i < 3; i++) await sql.write(() => sql.all('SELECT * FROM probe'));
    await sql.run("ALTER TABLE probe ADD COLUMN z TEXT DEFAULT 'y'");
    expect(await sql.write(() => sql.all('SELECT * FROM probe'))).toEqual([{ id: 1, v: 'a', w: 'x', z: 'y' }]);
  });

  it('more distinct texts than a connection keeps prepared all run, each more than once', async () => {
    const n = PREPARED_PER_CONNECTION + 20;
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < n; i++) expect(await sql.get(`SELECT id + ${i} AS n FROM probe`)).toEqual({ n: 1 + i });
    if (sql.engine === 'postgres') {
      const held = await sql.get<{ n: number }>('SELECT count(*) AS n FROM pg_prepared_statements');
      expect(held?.n).toBeLessThanOrEqual(PREPARED_PER_CONNECTION);
    }
  });
});

describe.skipIf(TEST_ENGINE !== 'postgres')('PostgreSQL prepared statements', () => {
  it('statements the server lost (a pooler such as PgBouncer, here DEALLOCATE ALL) are rerun unnamed, and then all are', async () => {
    const prepared = async () => (await sql.get<{ n: number }>('SELECT count(*) AS n FROM pg_prepared_statements'))?.n;
    // In one write, so every statement runs on one connection: the lost statement fails the write, which reruns.
    const seen = await sql.write(async () => {
      for (let i = 0; i < 3; i++) await sql.all('SELECT * FROM probe');
      await sql.run('DEALLOCATE ALL');
      return sql.all('SELECT * FROM probe');
    });
    expect(seen).toEqual([{ id: 1, v: 'a' }]);
    for (let i = 0; i < 3; i++) expect(await sql.all('SELECT v FROM probe WHERE id = ?', [1])).toEqual([{ v: 'a' }]);
    expect(await prepared()).toBe(0);
  });

  it('past its limit a connection deallocates the least recently used statement; a full one in a transaction runs unnamed', async () => {
    const client = new pg.Client({ connectionString: testPostgresUrl() });
    await client.connect();
    try {
      const prepared = new PreparedStatements(2);
      const run = async (text: string, inTransaction = false) => {
        const q = await prepared.query(client, statementName(text), text, [], inTransaction);
        return { named: q.name !== undefined, rows: (await client.query(q)).rows };
      };
      const held = async () =>
        (await client.query('SELECT statement FROM pg_prepared_statements ORDER BY statement')).rows.map(
          (r: { statement: string }) => r.statement,
        );
      await run('SELECT 1 AS n');
      await run('SELECT 2 AS n');
      await run('SELECT 1 AS n'); // 1 is now the most recently used
      expect((await run('SELECT 3 AS n')).rows).toEqual([{ n: 3 }]);
      expect(await held()).toEqual(['SELECT 1 AS n', 'SELECT 3 AS n']);
      expect(await run('SELECT 2 AS n')).toEqual({ named: true, rows: [{ n: 2 }] });
      expect(await held()).toEqual(['SELECT 2 AS n', 'SELECT 3 AS n']);
      await client.query('BEGIN');
      expect(await run('SELECT 4 AS n', true)).toEqual({ named: false, rows: [{ n: 4 }] });
      expect(await run('SELECT 3 AS n', true)).toEqual({ named: true, rows: [{ n: 3 }] });
      await client.query('COMMIT');
      expect(await held()).toEqual(['SELECT 2 AS n', 'SELECT 3 AS n']);
    } finally {
      await client.end();
    }
  });
});
