/** A value a statement takes or returns: both engines agree on these shapes. */
export type SqlValue = string | number | bigint | null | Buffer;

/**
 * Parameters: positional for `?` placeholders, or a record for `@name` placeholders (each name may
 * appear several times). Both engines accept both; PostgreSQL's driver rewrites them to `$n`.
 */
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

/**
 * The store's whole contact with a database: four calls and a close. Repositories hand-write their
 * SQL (FTS5, partial indexes, tuned upserts) and run it through this port; each engine differs only
 * where it must. A query builder was not used: the SQL is already tuned, Kysely 0.29 needs Node 22, and
 * four calls keep every repository's SQL visible.
 */
export interface Sql {
  readonly engine: 'sqlite' | 'postgres';
  /** True when the database was opened read-only (SQLite file not writable): reads work, writes fail. */
  readonly readonly: boolean;
  all<T>(text: string, params?: SqlParams): Promise<T[]>;
  get<T>(text: string, params?: SqlParams): Promise<T | undefined>;
  /** `lastId` is the new row's id where the engine knows it without RETURNING (SQLite's rowid). */
  run(text: string, params?: SqlParams): Promise<{ changes: number; lastId?: number }>;
  /**
   * One write transaction: IMMEDIATE on SQLite (the write lock is taken first, so what `fn` reads is
   * current when it writes); one transaction on one pooled client on PostgreSQL, retried on a serialization
   * failure or deadlock. Read the batch inside, never before. Calls on this Sql made from inside `fn`
   * (also through repositories) run in the transaction; a nested `write` becomes a savepoint.
   */
  write<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** An opened engine: the port plus what only the process that opened it does (migrations, its version). */
export interface SqlEngine extends Sql {
  /** Applies pending migrations, one at a time; returns the versions applied. */
  migrate(): Promise<number[]>;
  /** The schema version the database is at. */
  schemaVersion(): Promise<number>;
  /** Where the data lives (a file path, or host/database without credentials), its size and free space inside. */
  size(): Promise<{ where: string; bytes: number; freeBytes: number }>;
  /** Gives free space back after deletions where the engine does that on request; returns pages freed. */
  reclaimSpace(): Promise<number>;
}

/** A statement bound to its text, with better-sqlite3's calling shape (spread positional, or one record). */
export interface Statement {
  run(...params: SqlValue[] | [Readonly<Record<string, SqlValue>>]): Promise<{ changes: number; lastId?: number }>;
  get<T = unknown>(...params: SqlValue[] | [Readonly<Record<string, SqlValue>>]): Promise<T | undefined>;
  all<T = unknown>(...params: SqlValue[] | [Readonly<Record<string, SqlValue>>]): Promise<T[]>;
}

function toParams(p: unknown[]): SqlParams {
  const first = p[0];
  if (p.length === 1 && first !== null && typeof first === 'object' && !Buffer.isBuffer(first))
    return first as Readonly<Record<string, SqlValue>>;
  return p as SqlValue[];
}

/** Binds SQL text to the port once, so a repository lists its statements by name as it did with prepare(). */
export function statement(sql: Sql, text: string): Statement {
  return {
    run: (...p) => sql.run(text, toParams(p)),
    get: <T>(...p: unknown[]) => sql.get<T>(text, toParams(p)),
    all: <T>(...p: unknown[]) => sql.all<T>(text, toParams(p)),
  };
}

/** Binds each text of a record of statements. */
export function statements<K extends string>(sql: Sql, texts: Record<K, string>): Record<K, Statement> {
  const out = {} as Record<K, Statement>;
  for (const k of Object.keys(texts) as K[]) out[k] = statement(sql, texts[k]);
  return out;
}

/**
 * A subquery yielding the values of one parameter holding a JSON array (ids or words), so a statement
 * takes any number of them without a placeholder each. One of the few places the dialects differ.
 */
export function jsonValues(sql: Pick<Sql, 'engine'>, kind: 'int' | 'text'): string {
  if (sql.engine === 'sqlite') return '(SELECT value FROM json_each(?))';
  return kind === 'int'
    ? '(SELECT value::bigint FROM json_array_elements_text(?::json))'
    : '(SELECT value FROM json_array_elements_text(?::json))';
}

/**
 * An INSERT whose new id `run()` reports as `lastId`: SQLite knows it without RETURNING (and a
 * RETURNING statement makes FTS5 flush its index per row), PostgreSQL needs RETURNING id.
 */
export function insertReturningId(sql: Pick<Sql, 'engine'>, text: string): string {
  return sql.engine === 'postgres' ? `${text} RETURNING id` : text;
}

/**
 * Inside a `write`: serialises this transaction with every other one taking the same `name`, until it
 * ends. SQLite's IMMEDIATE transactions already run one at a time, so only PostgreSQL takes a
 * transaction-scoped advisory lock — for read-then-write batches (clustering slices, rate limits) that
 * two processes must never both do.
 */
export async function serialize(tx: Sql, name: string): Promise<void> {
  if (tx.engine === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(hashtext(?)) AS locked', [name]);
}
