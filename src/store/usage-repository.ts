import { tokenCount } from '../core/token-count.js';
import { type Sql, statement } from './sql.js';

export interface UsageRecord {
  purpose: string;
  /** The team whose request spent the tokens; null or absent for shared work (summaries). */
  team?: string | null;
  model: string;
  promptTokens: number;
  completionTokens: number;
  ok: boolean;
  error?: string | null;
}

/** Token totals by purpose over a period. */
export interface UsageTotals {
  purpose: string;
  calls: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
}

/** The ledger of model calls, and the cache of summaries already paid for. */
export class UsageRepository {
  private readonly s;

  constructor(sql: Sql) {
    this.s = {
      insert: statement(
        sql,
        'INSERT INTO llm_usage (at, purpose, model, prompt_tokens, completion_tokens, ok, error, team_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      tokensSince: statement(
        sql,
        'SELECT coalesce(sum(prompt_tokens + completion_tokens), 0) AS n FROM llm_usage WHERE at >= ?',
      ),
      tokensSinceFor: statement(
        sql,
        'SELECT coalesce(sum(prompt_tokens + completion_tokens), 0) AS n FROM llm_usage WHERE at >= ? AND purpose = ?',
      ),
      totals: statement(
        sql,
        `SELECT purpose, count(*) AS calls, sum(CASE WHEN ok = 1 THEN 0 ELSE 1 END) AS failed,
           coalesce(sum(prompt_tokens), 0) AS prompt, coalesce(sum(completion_tokens), 0) AS completion
         FROM llm_usage WHERE at >= ? AND at < ? GROUP BY purpose ORDER BY purpose`,
      ),
      // A team's view: its own questions and the shared (unattributed) summaries, never another team's spend.
      teamTotals: statement(
        sql,
        `SELECT purpose, count(*) AS calls, sum(CASE WHEN ok = 1 THEN 0 ELSE 1 END) AS failed,
           coalesce(sum(prompt_tokens), 0) AS prompt, coalesce(sum(completion_tokens), 0) AS completion
         FROM llm_usage WHERE at >= ? AND at < ? AND (team_id IS NULL OR team_id = ?) GROUP BY purpose ORDER BY purpose`,
      ),
      cacheGet: statement(sql, 'SELECT summary FROM summary_cache WHERE key = ?'),
      cachePut: statement(
        sql,
        'INSERT INTO summary_cache (key, summary, model, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO NOTHING',
      ),
    };
  }

  /** Writes one ledger row; token figures are clamped to non-negative integers whoever reported them. */
  async record(r: UsageRecord, now: Date): Promise<void> {
    await this.s.insert.run(
      now.toISOString(),
      r.purpose,
      r.model,
      tokenCount(r.promptTokens),
      tokenCount(r.completionTokens),
      r.ok ? 1 : 0,
      r.error ?? null,
      r.team ?? null,
    );
  }

  /** Tokens spent since a time (prompt + completion), for every purpose or for one. */
  async tokensSince(since: Date, purpose?: string): Promise<number> {
    const row = purpose
      ? await this.s.tokensSinceFor.get(since.toISOString(), purpose)
      : await this.s.tokensSince.get(since.toISOString());
    return (row as { n: number }).n;
  }

  /** Totals by purpose; with a team, its own spend and the shared spend only. */
  async totals(from: Date, to: Date, team?: string): Promise<UsageTotals[]> {
    const rows =
      team === undefined
        ? await this.s.totals.all(from.toISOString(), to.toISOString())
        : await this.s.teamTotals.all(from.toISOString(), to.toISOString(), team);
    return (
      rows as {
        purpose: string;
        calls: number;
        failed: number;
        prompt: number;
        completion: number;
      }[]
    ).map((r) => ({
      purpose: r.purpose,
      calls: r.calls,
      failed: r.failed,
      promptTokens: r.prompt,
      completionTokens: r.completion,
    }));
  }

  async cached(key: string): Promise<string | undefined> {
    return ((await this.s.cacheGet.get(key)) as { summary: string } | undefined)?.summary;
  }

  async cache(key: string, summary: string, model: string, now: Date): Promise<void> {
    await this.s.cachePut.run(key, summary, model, now.toISOString());
  }
}
