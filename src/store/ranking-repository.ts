import type { Rankings } from '../feeds/parse-rankings.js';
import { type Sql, statement } from './sql.js';

/** One stored day of one model's tokens. */
export interface UsageRow {
  day: string;
  modelPermaslug: string;
  totalTokens: number;
  asOf: string;
}

/** The meta of one rankings response. */
export interface UsageFetch {
  fetchedAt: string;
  asOf: string;
  startDate: string;
  endDate: string;
  version: string | null;
  rows: number;
}

/** OpenRouter's daily rankings as stored: a restated day replaces that day's rows; each fetch's meta is kept. */
export class RankingRepository {
  private readonly s;
  private readonly sql: Sql;

  constructor(sql: Sql) {
    this.sql = sql;
    this.s = {
      clearDay: statement(sql, 'DELETE FROM usage_daily WHERE day = ?'),
      insert: statement(
        sql,
        `INSERT INTO usage_daily (day, model_permaslug, total_tokens, as_of) VALUES (?, ?, ?, ?)
         ON CONFLICT(day, model_permaslug) DO UPDATE SET total_tokens = usage_daily.total_tokens + excluded.total_tokens`,
      ),
      fetch: statement(
        sql,
        `INSERT INTO usage_fetches (fetched_at, as_of, start_date, end_date, version, rows)
         VALUES (@fetchedAt, @asOf, @startDate, @endDate, @version, @rows)`,
      ),
      latestDay: statement(sql, 'SELECT max(day) AS day FROM usage_daily'),
      between: statement(
        sql,
        'SELECT day, model_permaslug, total_tokens, as_of FROM usage_daily WHERE day >= ? AND day <= ? ORDER BY day',
      ),
      lastFetch: statement(sql, 'SELECT * FROM usage_fetches ORDER BY id DESC LIMIT 1'),
    };
  }

  /**
   * Stores a response in one transaction: every day it carries replaces the stored rows of that day
   * (snapshots are restated), and its meta is recorded. Returns the days written.
   */
  async store(r: Rankings, fetchedAt: Date): Promise<string[]> {
    const days = [...new Set(r.rows.map((x) => x.day))].sort();
    await this.sql.write(async () => {
      for (const d of days) await this.s.clearDay.run(d);
      // A slug listed twice in one day (it should not be) counts once per row rather than failing the batch.
      for (const x of r.rows) await this.s.insert.run(x.day, x.modelPermaslug, Math.round(x.totalTokens), r.meta.asOf);
      await this.s.fetch.run({ fetchedAt: fetchedAt.toISOString(), ...r.meta, rows: r.rows.length });
    });
    return days;
  }

  /** The newest day stored, or null. */
  async latestDay(): Promise<string | null> {
    return ((await this.s.latestDay.get()) as { day: string | null }).day;
  }

  /** Rows of the days in [fromDay, toDay] (inclusive, YYYY-MM-DD). */
  async between(fromDay: string, toDay: string): Promise<UsageRow[]> {
    return (
      (await this.s.between.all(fromDay, toDay)) as {
        day: string;
        model_permaslug: string;
        total_tokens: number;
        as_of: string;
      }[]
    ).map((r) => ({ day: r.day, modelPermaslug: r.model_permaslug, totalTokens: r.total_tokens, asOf: r.as_of }));
  }

  /** The meta of the latest response. */
  async lastFetch(): Promise<UsageFetch | undefined> {
    const r = (await this.s.lastFetch.get()) as
      | {
          fetched_at: string;
          as_of: string;
          start_date: string;
          end_date: string;
          version: string | null;
          rows: number;
        }
      | undefined;
    return (
      r && {
        fetchedAt: r.fetched_at,
        asOf: r.as_of,
        startDate: r.start_date,
        endDate: r.end_date,
        version: r.version,
        rows: r.rows,
      }
    );
  }
}
