import type { Db } from './open-database.js';

/**
 * Runs `fn` in an IMMEDIATE transaction: the write lock is taken first (waiting up to busy_timeout
 * while another process writes), so what `fn` reads is current when it writes. A deferred transaction
 * that reads and then writes fails at once with `database is locked` under WAL when another process
 * committed in between; read a batch inside this, never before it. Nested calls become savepoints.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
