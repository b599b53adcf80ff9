import { AsyncLocalStorage } from 'node:async_hooks';
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { migrate } from './migrate.js';
import { openDatabase } from './open-database.js';
import type { SqlEngine, SqlParams, SqlValue } from './sql.js';

/** Prepared statements kept per connection; past this many the oldest are dropped (dynamic SQL is rare). */
const STATEMENT_CACHE = 500;

/** The open write transaction a call belongs to; `open` turns false when it ends (timers may outlive it). */
interface Scope {
  open: boolean;
}

/**
 * The SQLite engine over one better-sqlite3 connection. Statements are prepared once per text (the hot
 * paths rely on it) and run synchronously; the promise only carries the result. One connection is
 * shared by every async caller, so while a `write` is open, calls from anyone else wait for it to end —
 * otherwise their statements would run inside its transaction (and a rollback would undo them).
 * Calls made from inside the transaction's own async context (AsyncLocalStorage) run at once.
 * AsyncLocalStorage turns on promise hooks process-wide on Node 20, but measured it is not what the async
 * store costs: a poll cycle with the scope held in a plain variable instead (interleaved in one process)
 * used the same CPU within noise (±6%), and hooks were ~1.5% of a profiled cycle's samples; this port's
 * own JS (promise per statement included) under 1%. Native SQLite work and COMMITs dominate.
 */
export class SqliteSql implements SqlEngine {
  readonly engine = 'sqlite' as const;
  private readonly cache = new Map<string, Database.Statement>();
  private readonly scopes = new AsyncLocalStorage<Scope>();
  /** The transaction holding the connection, and a promise that settles when it ends. */
  private current: { scope: Scope; ended: Promise<void> } | null = null;
  /** Writers waiting for the connection, in order. */
  private readonly writers: (() => void)[] = [];
  private locked = false;
  private savepoints = 0;

  constructor(readonly db: Database.Database) {}

  get readonly(): boolean {
    return this.db.readonly;
  }

  private prepare(text: string): Database.Statement {
    let st = this.cache.get(text);
    if (!st) {
      st = this.db.prepare(text);
      if (this.cache.size >= STATEMENT_CACHE) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(text, st);
    }
    return st;
  }

  /** Null when the caller may use the connection now, else a promise to wait on before trying again. */
  private blocked(): Promise<void> | null {
    const c = this.current;
    if (c === null) return null;
    const mine = this.scopes.getStore();
    return mine === c.scope && mine.open ? null : c.ended;
  }

  private exec<R>(fn: () => R): Promise<R> {
    const wait = this.blocked();
    if (wait) return wait.then(() => this.exec(fn));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  all<T>(text: string, params?: SqlParams): Promise<T[]> {
    return this.exec(() => call(this.prepare(text), 'all', params) as T[]);
  }

  get<T>(text: string, params?: SqlParams): Promise<T | undefined> {
    return this.exec(() => call(this.prepare(text), 'get', params) as T | undefined);
  }

  run(text: string, params?: SqlParams): Promise<{ changes: number; lastId?: number }> {
    return this.exec(() => {
      const r = call(this.prepare(text), 'run', params) as Database.RunResult;
      return { changes: r.changes, lastId: Number(r.lastInsertRowid) };
    });
  }

  async write<T>(fn: (tx: SqliteSql) => Promise<T>): Promise<T> {
    const mine = this.scopes.getStore();
    if (mine?.open && this.current?.scope === mine) return this.savepoint(fn);
    await this.acquire();
    const scope: Scope = { open: true };
    let end!: () => void;
    this.current = { scope, ended: new Promise<void>((r) => (end = r)) };
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.scopes.run(scope, () => fn(this));
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      scope.open = false;
      this.current = null;
      end();
      this.releaseLock();
    }
  }

  private async savepoint<T>(fn: (tx: SqliteSql) => Promise<T>): Promise<T> {
    const name = `sp${++this.savepoints}`;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw err;
    }
  }

  private acquire(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.writers.push(resolve));
  }

  private releaseLock(): void {
    const next = this.writers.shift();
    if (next) next();
    else this.locked = false;
  }

  async migrate(): Promise<number[]> {
    await this.current?.ended;
    return migrate(this.db);
  }

  async schemaVersion(): Promise<number> {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  async size(): Promise<{ where: string; bytes: number; freeBytes: number }> {
    let bytes = 0;
    for (const suffix of ['', '-wal']) {
      try {
        bytes += statSync(this.db.name + suffix).size;
      } catch {}
    }
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const freeBytes = (this.db.pragma('freelist_count', { simple: true }) as number) * pageSize;
    return { where: this.db.name, bytes, freeBytes };
  }

  async reclaimSpace(): Promise<number> {
    await this.current?.ended;
    const before = this.db.pragma('freelist_count', { simple: true }) as number;
    this.db.pragma('incremental_vacuum');
    const after = this.db.pragma('freelist_count', { simple: true }) as number;
    return Math.max(0, before - after);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function call(st: Database.Statement, method: 'all' | 'get' | 'run', params: SqlParams | undefined): unknown {
  if (params === undefined) return st[method]();
  return Array.isArray(params) ? st[method](...(params as SqlValue[])) : st[method](params);
}

/** Opens (creating and migrating) the SQLite file at `path`; see openDatabase for what is checked. */
export function openSqlite(path: string, options: { migrate?: boolean } = {}): SqliteSql {
  return new SqliteSql(openDatabase(path, options));
}
