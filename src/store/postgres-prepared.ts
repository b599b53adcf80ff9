import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Statements one connection keeps prepared. Past this many the least recently used is deallocated, so
 * texts built per call (an IN list per id count) cannot grow a server process without bound.
 */
export const PREPARED_PER_CONNECTION = 200;

/** The statement name for a text: the same on every connection and in every process. */
export function statementName(text: string): string {
  return `ai_news_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

/**
 * pg's own record of what it has parsed on a connection: it sends Parse for a named statement only when
 * the name is missing there, so a statement deallocated behind its back must be removed from it too.
 * Not part of pg's typed API; pinned by test/store/prepared-statements.test.ts.
 */
function parsedOn(client: pg.ClientBase): Record<string, string> {
  return (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection
    .parsedStatements;
}

/**
 * "cached plan must not change result type": a prepared `SELECT *` or `RETURNING *` whose table a
 * migration (in any process) changed since. The connection's statements must be prepared again.
 */
export function isStalePlan(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e.code === '0A000' && String(e.message).includes('cached plan');
}

/**
 * A named statement the server does not have (26000) or already has (42P05) although pg thinks otherwise:
 * a pooler in transaction mode (PgBouncer) hands each transaction another server connection, or a
 * DEALLOCATE / DISCARD ran behind pg's back.
 */
export function isLostStatement(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '26000' || code === '42P05';
}

/**
 * Which statements each pooled connection holds prepared, least recently used first. Planning is most of
 * what a small statement costs PostgreSQL (measured on the search's source-URL lookup: 0.46 ms unnamed,
 * 0.14 ms prepared), so a statement is parsed and planned once per connection instead of at every call.
 */
export class PreparedStatements {
  private readonly held = new WeakMap<pg.ClientBase, Map<string, true>>();

  constructor(private readonly limit = PREPARED_PER_CONNECTION) {}

  /**
   * The query to send on `client`: under `name` when the connection holds it or has room for it, or
   * room can be made; as an unnamed statement inside a transaction whose connection is full (a
   * DEALLOCATE there would fail with the transaction once it has failed).
   */
  async query(
    client: pg.ClientBase,
    name: string,
    text: string,
    values: unknown[],
    inTransaction: boolean,
  ): Promise<pg.QueryConfig> {
    let held = this.held.get(client);
    if (!held) {
      held = new Map();
      this.held.set(client, held);
    }
    if (held.delete(name)) {
      held.set(name, true);
      return { name, text, values };
    }
    if (held.size >= this.limit) {
      if (inTransaction) return { text, values };
      const oldest = held.keys().next().value as string;
      held.delete(oldest);
      await this.deallocate(client, oldest);
    }
    held.set(name, true);
    return { name, text, values };
  }

  /** Drops every statement `client` holds (after a stale plan or a lost statement); call outside a transaction. */
  async forget(client: pg.ClientBase): Promise<void> {
    this.held.delete(client);
    const parsed = parsedOn(client);
    for (const k of Object.keys(parsed)) delete parsed[k];
    await client.query('DEALLOCATE ALL');
  }

  private async deallocate(client: pg.ClientBase, name: string): Promise<void> {
    const parsed = parsedOn(client);
    // A statement whose Parse failed was never created on the server.
    if (parsed[name] === undefined) return;
    await client.query(`DEALLOCATE ${name}`);
    delete parsed[name];
  }
}
