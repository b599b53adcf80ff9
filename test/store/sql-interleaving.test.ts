import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/store/sql.js';
import { testServices } from '../helpers/test-services.js';

/**
 * The port's promise to concurrent callers of one store: a write's uncommitted rows are seen only by
 * calls made inside it (on SQLite's one connection that means everyone else waits for it), a failed
 * write undoes only its own statements, and a nested write is a savepoint. Runs on both engines.
 */
let t: Awaited<ReturnType<typeof testServices>>;
let sql: Sql;

/** A promise the test resolves by hand, so a write stays open while other callers run. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

const ids = async () => (await sql.all<{ id: number }>('SELECT id FROM probe ORDER BY id')).map((r) => Number(r.id));

beforeEach(async () => {
  t = await testServices();
  sql = t.services.sql;
  await sql.run('CREATE TABLE probe (id INTEGER PRIMARY KEY, v TEXT)');
});
afterEach(async () => {
  await t.close();
});

describe('concurrent callers of one store', () => {
  it("a reader outside an open write never sees its uncommitted rows (SQLite's waits for the commit); calls inside it do", async () => {
    const g = gate();
    const inside: number[][] = [];
    const writing = sql.write(async () => {
      await sql.run('INSERT INTO probe (id, v) VALUES (?, ?)', [1, 'w']);
      inside.push(await ids());
      await g.opened;
      await sql.run('INSERT INTO probe (id, v) VALUES (?, ?)', [2, 'w']);
      inside.push(await ids());
    });
    await new Promise((r) => setTimeout(r, 10));
    let early: number[] | undefined;
    const outside = ids().then((seen) => (early = seen));
    await new Promise((r) => setTimeout(r, 10));
    const settledWhileOpen = early !== undefined;
    g.open();
    await writing;
    // SQLite's one connection makes the reader wait for the commit. PostgreSQL reads the last commit on
    // another connection: before this one (nothing) or after it (both rows) — never the open write's half.
    if (sql.engine === 'sqlite') {
      expect(settledWhileOpen).toBe(false);
      expect(await outside).toEqual([1, 2]);
    } else expect([[], [1, 2]]).toContainEqual(await outside);
    expect(inside).toEqual([[1], [1, 2]]);
    expect(await ids()).toEqual([1, 2]);
  });

  it("a failed write is rolled back while another caller's statement made meanwhile is kept", async () => {
    const g = gate();
    const failing = sql.write(async () => {
      await sql.run('INSERT INTO probe (id, v) VALUES (?, ?)', [1, 'doomed']);
      await g.opened;
      throw new Error('boom');
    });
    await new Promise((r) => setTimeout(r, 10));
    const other = sql.run('INSERT INTO probe (id, v) VALUES (?, ?)', [2, 'kept']);
    await new Promise((r) => setTimeout(r, 10));
    g.open();
    await expect(failing).rejects.toThrow('boom');
    expect((await other).changes).toBe(1);
    expect(await ids()).toEqual([2]);
  });

  it('two writes started together both commit, one after the other, each whole', async () => {
    const g = gate();
    const first = sql.write(async () => {
      await sql.run('INSERT INTO probe (id, v) VALUES (?, ?)', [1, 'a']);
      await g.opened;
      await sql.run('INSERT INTO probe (id, v) VALUES (?, ?)', [2, 'a']);
    });
    const second = sql.write(async () => {
      const seen = await ids();
      await sql.run('INSERT INTO probe (id, v) VALUES (?, ?)', [3, 'b']);
      return seen;
    });
    await new Promise((r) => setTimeout(r, 10));
    g.open();
    await first;
    // SQLite serialises the two; PostgreSQL's second may read before the first commits, never half of it.
    expect([[], [1, 2]]).toContainEqual(await second);
    expect(await ids()).toEqual([1, 2, 3]);
  });

  it('a nested write is a savepoint: its failure undoes only its own rows', async () => {
    await sql.write(async () => {
      await sql.run('INSERT INTO probe (id, v) VALUES (?, ?)', [1, 'outer']);
      await expect(
        sql.write(async () => {
          await sql.run('INSERT INTO probe (id, v) VALUES (?, ?)', [2, 'inner']);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await sql.run('INSERT INTO probe (id, v) VALUES (?, ?)', [3, 'outer']);
    });
    expect(await ids()).toEqual([1, 3]);
  });
});
