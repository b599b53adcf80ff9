import { type Sql, statement } from './sql.js';

/** A built-in source's stored state: the URL its data came from, conditional-GET validators, health. */
export interface SourceState {
  name: string;
  url: string | null;
  etag: string | null;
  lastModified: string | null;
  nextCheckAt: string | null;
  /** UTC date (YYYY-MM-DD) of the last successful fetch. */
  lastFetchDay: string | null;
  lastSuccessAt: string | null;
  lastCheckedAt: string | null;
  errorCount: number;
  lastError: string | null;
  lastErrorCode: string | null;
}

interface Row {
  name: string;
  url: string | null;
  etag: string | null;
  last_modified: string | null;
  next_check_at: string | null;
  last_fetch_day: string | null;
  last_success_at: string | null;
  last_checked_at: string | null;
  error_count: number;
  last_error: string | null;
  last_error_code: string | null;
}

const toState = (r: Row): SourceState => ({
  name: r.name,
  url: r.url,
  etag: r.etag,
  lastModified: r.last_modified,
  nextCheckAt: r.next_check_at,
  lastFetchDay: r.last_fetch_day,
  lastSuccessAt: r.last_success_at,
  lastCheckedAt: r.last_checked_at,
  errorCount: r.error_count,
  lastError: r.last_error,
  lastErrorCode: r.last_error_code,
});

/** State of the built-in sources (OpenRouter's model list and rankings), one row per source. */
export class SourceStateRepository {
  private readonly s;

  constructor(sql: Sql) {
    this.s = {
      get: statement(sql, 'SELECT * FROM source_state WHERE name = ?'),
      all: statement(sql, 'SELECT * FROM source_state ORDER BY name'),
      success: statement(
        sql,
        `INSERT INTO source_state (name, url, etag, last_modified, next_check_at, last_fetch_day, last_success_at, last_checked_at)
         VALUES (@name, @url, @etag, @lastModified, @next, @day, @now, @now)
         ON CONFLICT(name) DO UPDATE SET url = @url, etag = @etag, last_modified = @lastModified, next_check_at = @next,
           last_fetch_day = coalesce(@day, source_state.last_fetch_day), last_success_at = @now, last_checked_at = @now,
           error_count = 0, last_error = NULL, last_error_code = NULL`,
      ),
      failure: statement(
        sql,
        `INSERT INTO source_state (name, next_check_at, last_checked_at, error_count, last_error, last_error_code)
         VALUES (@name, @next, @now, 1, @message, @code)
         ON CONFLICT(name) DO UPDATE SET next_check_at = @next, last_checked_at = @now, error_count = source_state.error_count + 1,
           last_error = @message, last_error_code = @code`,
      ),
    };
  }

  async get(name: string): Promise<SourceState | undefined> {
    const r = (await this.s.get.get(name)) as Row | undefined;
    return r && toState(r);
  }

  async all(): Promise<SourceState[]> {
    return ((await this.s.all.all()) as Row[]).map(toState);
  }

  /** Records a successful read of `url`; `fetchDay` is the UTC date when it counts as that day's fetch. */
  async recordSuccess(
    name: string,
    r: { url: string; etag: string | null; lastModified: string | null; next: Date; fetchDay?: string },
    now: Date,
  ): Promise<void> {
    await this.s.success.run({
      name,
      url: r.url,
      etag: r.etag,
      lastModified: r.lastModified,
      next: r.next.toISOString(),
      day: r.fetchDay ?? null,
      now: now.toISOString(),
    });
  }

  /** Records a failed attempt; the stored data and the URL it came from stay as they were. */
  async recordFailure(name: string, f: { code: string; message: string; next: Date }, now: Date): Promise<SourceState> {
    await this.s.failure.run({
      name,
      code: f.code,
      message: f.message,
      next: f.next.toISOString(),
      now: now.toISOString(),
    });
    return (await this.get(name)) as SourceState;
  }
}
