import { type Sql, statement } from './sql.js';

/** How long a handled event id is remembered; Slack's retries come within minutes. @unit milliseconds */
export const EVENT_MEMORY_MS = 24 * 3_600_000;

/** Slack Events API ids already handled, so a retried delivery is not handled again. */
export class SlackEventRepository {
  private readonly s;

  constructor(sql: Sql) {
    this.s = {
      claim: statement(sql, 'INSERT INTO slack_events (event_id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
      forget: statement(sql, 'DELETE FROM slack_events WHERE received_at < ?'),
    };
  }

  /**
   * Records an event id; true the first time it is seen, false for a retry of one already claimed (by
   * this or any other process). Ids older than `EVENT_MEMORY_MS` are forgotten on the way.
   */
  async claim(eventId: string, now: Date): Promise<boolean> {
    await this.s.forget.run(new Date(now.getTime() - EVENT_MEMORY_MS).toISOString());
    return (await this.s.claim.run(eventId, now.toISOString())).changes === 1;
  }
}
