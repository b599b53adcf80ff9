import { type Sql, statement } from './sql.js';

/** What the Slack assistant pane reported about a thread: the channel its user was viewing. */
export interface AssistantThreadContext {
  channelId: string | null;
  teamId: string | null;
  enterpriseId: string | null;
}

/**
 * Assistant threads and their context, kept in the database so any process (a restart, a second
 * replica) answering a thread knows which channel its user was looking at.
 */
export class AssistantThreadRepository {
  private readonly s;

  constructor(sql: Sql) {
    this.s = {
      save: statement(
        sql,
        `INSERT INTO assistant_threads (channel_id, thread_ts, user_id, context_channel_id, context_team_id, enterprise_id, updated_at)
         VALUES (@channelId, @threadTs, @userId, @contextChannelId, @teamId, @enterpriseId, @now)
         ON CONFLICT(team_id, channel_id, thread_ts) DO UPDATE SET user_id = coalesce(excluded.user_id, assistant_threads.user_id),
           context_channel_id = excluded.context_channel_id, context_team_id = excluded.context_team_id,
           enterprise_id = excluded.enterprise_id, updated_at = excluded.updated_at`,
      ),
      get: statement(sql, 'SELECT * FROM assistant_threads WHERE channel_id = ? AND thread_ts = ?'),
    };
  }

  async save(
    channelId: string,
    threadTs: string,
    context: AssistantThreadContext & { userId?: string | null },
    now: Date,
  ): Promise<void> {
    await this.s.save.run({
      channelId,
      threadTs,
      userId: context.userId ?? null,
      contextChannelId: context.channelId,
      teamId: context.teamId,
      enterpriseId: context.enterpriseId,
      now: now.toISOString(),
    });
  }

  async get(channelId: string, threadTs: string): Promise<AssistantThreadContext | undefined> {
    const r = (await this.s.get.get(channelId, threadTs)) as
      | { context_channel_id: string | null; context_team_id: string | null; enterprise_id: string | null }
      | undefined;
    return r && { channelId: r.context_channel_id, teamId: r.context_team_id, enterpriseId: r.enterprise_id };
  }
}
