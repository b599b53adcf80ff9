import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { isLostStatement, isStalePlan, PreparedStatements, statementName } from './postgres-prepared.js';
import type { SqlEngine, SqlParams, SqlValue } from './sql.js';

// int8 (counts, ids, sums of integers) and numeric (sum of int8) as JS numbers, so repositories see
// the shapes SQLite gives them. Values stay far below 2^53 (ids, token counts).
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** SQLSTATEs worth retrying a whole transaction for: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const RETRIES = 4;

interface Scope {
  client: pg.PoolClient;
  open: boolean;
  savepoints: number;
}

/** A text as PostgreSQL runs it. */
interface Rewritten {
  text: string;
  /** The order in which a record's names fill the `$n`s; null for positional parameters. */
  names: string[] | null;
}

/** A rewritten text, its prepared statement's name and how often it ran. */
interface Known extends Rewritten {
  name: string;
  uses: number;
}

/**
 * Rewrites `?` and `@name` placeholders to `$n` outside quotes and comments; returns the text and the
 * order in which a record's names fill the `$n`s. Cached per text: repositories reuse a few hundred.
 */
export function toPostgres(text: string): Rewritten {
  let out = '';
  let n = 0;
  const names: string[] = [];
  const byName = new Map<string, number>();
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop + 1);
      i = stop;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      out += `$${++n}`;
    } else if (c === '@' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && /\w/.test(text[j] as string)) j++;
      const name = text.slice(i + 1, j);
      let k = byName.get(name);
      if (k === undefined) {
        names.push(name);
        k = names.length;
        byName.set(name, k);
      }
      out += `$${k}`;
      i = j - 1;
    } else if (c === ':' && text[i + 1] === ':') {
      out += '::';
      i++;
    } else out += c;
  }
  return { text: out, names: names.length > 0 ? names : null };
}

/**
 * The PostgreSQL engine over a pg Pool. A `write` runs on one client between BEGIN and COMMIT and is
 * retried from the start on a serialization failure or deadlock; calls made inside it (through any
 * repository) find its client through AsyncLocalStorage, so they are part of it. Work that SQLite's
 * single writer serialised (a read-then-write batch) takes a row or advisory lock in its SQL.
 * A text that runs a second time is prepared on the connection running it (PreparedStatements), so
 * PostgreSQL parses and plans it once per connection rather than at every call; behind a pooler that
 * does not keep prepared statements (PgBouncer in transaction mode), the first one lost turns that off.
 */
export class PostgresSql implements SqlEngine {
  readonly engine = 'postgres' as const;
  readonly readonly = false;
  private readonly scopes = new AsyncLocalStorage<Scope>();
  private readonly texts = new Map<string, Known>();
  private readonly prepared = new PreparedStatements();
  /** Off once a named statement was lost (see recover): every statement is then sent unnamed. */
  private named = true;

  constructor(
    readonly pool: pg.Pool,
    private readonly where: string,
    private readonly migrator: (sql: PostgresSql) => Promise<number[]>,
  ) {}

  private rewrite(text: string, params: SqlParams | undefined): { t: Known; values: SqlValue[] } {
    let t = this.texts.get(text);
    if (!t) {
      const r = toPostgres(text);
      t = { ...r, name: statementName(r.text), uses: 0 };
      if (this.texts.size > 1000) this.texts.clear();
      this.texts.set(text, t);
    }
    t.uses++;
    if (params === undefined) return { t, values: [] };
    if (Array.isArray(params)) return { t, values: params as SqlValue[] };
    const record = params as Readonly<Record<string, SqlValue>>;
    return { t, values: (t.names ?? []).map((k) => record[k] ?? null) };
  }

  /**
   * Runs one statement on `client`: prepared from its second run on (a text run once, such as an IN
   * list of one length, is not worth a slot), as sent otherwise.
   */
  private async send(
    client: pg.ClientBase,
    t: Known,
    values: SqlValue[],
    inTransaction: boolean,
  ): Promise<pg.QueryResult> {
    if (!this.named || t.uses < 2) return client.query(t.text, values as unknown[]);
    return client.query(await this.prepared.query(client, t.name, t.text, values, inTransaction));
  }

  /**
   * Whether the statement that failed with `err` on `client` (now outside any transaction) can run
   * again. A stale plan (a migration changed a table a prepared SELECT * reads) is prepared afresh. A lost
   * statement means the server does not keep what this connection prepared (a pooler in transaction
   * mode): this engine then sends every statement unnamed, as it did before preparing them.
   */
  private async recover(client: pg.ClientBase, err: unknown): Promise<boolean> {
    const lost = isLostStatement(err);
    if (!lost && !isStalePlan(err)) return false;
    if (lost) this.named = false;
    return this.prepared.forget(client).then(
      () => true,
      () => lost,
    );
  }

  private async query(text: string, params: SqlParams | undefined): Promise<pg.QueryResult> {
    const { t, values } = this.rewrite(text, params);
    const scope = this.scopes.getStore();
    if (scope?.open) return this.send(scope.client, t, values, true);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.send(client, t, values, false);
        } catch (err) {
          if (attempt === 0 && (await this.recover(client, err))) continue;
          // An error the server reported leaves the connection usable, prepared statements and all; any
          // other (a broken socket) discards it.
          if (!(err instanceof pg.DatabaseError)) broken = err as Error;
          throw err;
        }
      }
    } finally {
      client.release(broken);
    }
  }

  async all<T>(text: string, params?: SqlParams): Promise<T[]> {
    return (await this.query(text, params)).rows as T[];
  }

  async get<T>(text: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.query(text, params)).rows[0] as T | undefined;
  }

  async run(text: string, params?: SqlParams): Promise<{ changes: number; lastId?: number }> {
    const r = await this.query(text, params);
    const id = (r.rows[0] as { id?: unknown } | undefined)?.id;
    return { changes: r.rowCount ?? 0, ...(typeof id === 'number' ? { lastId: id } : {}) };
  }

  async write<T>(fn: (tx: PostgresSql) => Promise<T>): Promise<T> {
    const scope = this.scopes.getStore();
    if (scope?.open) {
      const name = `sp${++scope.savepoints}`;
      await scope.client.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn(this);
        await scope.client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        await scope.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw err;
      }
    }
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      const mine: Scope = { client, open: true, savepoints: 0 };
      try {
        await client.query('BEGIN');
        const result = await this.scopes.run(mine, () => fn(this));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = String((err as { code?: unknown }).code ?? '');
        // A stale plan or a lost statement: once recovered, the write reruns.
        const recovered = await this.recover(client, err);
        if ((!RETRYABLE.has(code) && !recovered) || attempt >= RETRIES) throw err;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
      } finally {
        mine.open = false;
        client.release();
      }
    }
  }

  migrate(): Promise<number[]> {
    return this.migrator(this);
  }

  async schemaVersion(): Promise<number> {
    const r = await this.get<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_version');
    return r?.v ?? 0;
  }

  async size(): Promise<{ where: string; bytes: number; freeBytes: number }> {
    const r = await this.get<{ n: number }>('SELECT pg_database_size(current_database()) AS n');
    return { where: this.where, bytes: r?.n ?? 0, freeBytes: 0 };
  }

  /** PostgreSQL's autovacuum gives space back on its own; nothing to do on request. */
  async reclaimSpace(): Promise<number> {
    return 0;
  }

  /** Ends the pool; a second close is a no-op, as on SQLite. */
  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
