import { type Sql, statement } from './sql.js';

/** A channel's digest settings. */
export interface Channel {
  id: string;
  teamId: string | null;
  digestTime: string;
  timezone: string | null;
  language: string | null;
  topics: string;
  subscribed: boolean;
  subscribedBy: string | null;
  /** A chart of the week in the digest's thread, once a week. */
  weeklyChart: boolean;
  chartPostedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  team_id: string | null;
  digest_time: string;
  timezone: string | null;
  language: string | null;
  topics: string;
  subscribed: number;
  subscribed_by: string | null;
  weekly_chart: number;
  chart_posted_at: string | null;
  created_at: string;
  updated_at: string;
}

const toChannel = (r: Row): Channel => ({
  id: r.id,
  teamId: r.team_id,
  digestTime: r.digest_time,
  timezone: r.timezone,
  language: r.language,
  topics: r.topics,
  subscribed: r.subscribed === 1,
  subscribedBy: r.subscribed_by,
  weeklyChart: r.weekly_chart === 1,
  chartPostedAt: r.chart_posted_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type ChannelSettings = Partial<
  Pick<Channel, 'digestTime' | 'timezone' | 'language' | 'topics' | 'teamId' | 'weeklyChart'>
>;

/** Channels and their digest settings. */
export class ChannelRepository {
  private readonly s;

  constructor(sql: Sql) {
    this.s = {
      get: statement(sql, 'SELECT * FROM channels WHERE id = ?'),
      subscribed: statement(sql, 'SELECT * FROM channels WHERE subscribed = 1 ORDER BY id'),
      upsert: statement(
        sql,
        `INSERT INTO channels (id, team_id, digest_time, timezone, language, topics, subscribed, subscribed_by, created_at, updated_at)
         VALUES (@id, @teamId, coalesce(@digestTime, '08:00'), @timezone, @language, coalesce(@topics, ''), 1, @by, @now, @now)
         ON CONFLICT(id) DO UPDATE SET subscribed = 1, subscribed_by = @by, updated_at = @now,
           team_id = coalesce(@teamId, channels.team_id), digest_time = coalesce(@digestTime, channels.digest_time),
           timezone = coalesce(@timezone, channels.timezone), language = coalesce(@language, channels.language),
           topics = coalesce(@topics, channels.topics)`,
      ),
      update: statement(
        sql,
        `UPDATE channels SET updated_at = @now, team_id = coalesce(@teamId, team_id), digest_time = coalesce(@digestTime, digest_time),
           timezone = coalesce(@timezone, timezone), language = coalesce(@language, language), topics = coalesce(@topics, topics),
           weekly_chart = coalesce(@weeklyChart, weekly_chart)
         WHERE id = @id`,
      ),
      chartPosted: statement(sql, 'UPDATE channels SET chart_posted_at = ? WHERE id = ?'),
      ensure: statement(
        sql,
        `INSERT INTO channels (id, subscribed, created_at, updated_at) VALUES (?, 0, ?, ?) ON CONFLICT(id) DO NOTHING`,
      ),
      unsubscribe: statement(sql, 'UPDATE channels SET subscribed = 0, updated_at = ? WHERE id = ?'),
    };
  }

  async get(id: string): Promise<Channel | undefined> {
    const r = (await this.s.get.get(id)) as Row | undefined;
    return r && toChannel(r);
  }

  async subscribed(): Promise<Channel[]> {
    return ((await this.s.subscribed.all()) as Row[]).map(toChannel);
  }

  /** Subscribes a channel (or re-subscribes it), applying any settings given. */
  async subscribe(id: string, settings: ChannelSettings, by: string, now: Date): Promise<Channel> {
    await this.s.upsert.run({ id, by, now: now.toISOString(), ...nulls(settings) });
    return (await this.get(id)) as Channel;
  }

  /** Changes settings; creates an unsubscribed row when the channel is new (settings before subscribing). */
  async update(id: string, settings: ChannelSettings, now: Date): Promise<Channel> {
    await this.s.ensure.run(id, now.toISOString(), now.toISOString());
    await this.s.update.run({ id, now: now.toISOString(), ...nulls(settings) });
    return (await this.get(id)) as Channel;
  }

  /** Records that the weekly chart went to the channel (before it is sent: at most one a week). */
  async markChartPosted(id: string, now: Date): Promise<void> {
    await this.s.chartPosted.run(now.toISOString(), id);
  }

  async unsubscribe(id: string, now: Date): Promise<boolean> {
    return (await this.s.unsubscribe.run(now.toISOString(), id)).changes > 0;
  }
}

function nulls(s: ChannelSettings) {
  return {
    teamId: s.teamId ?? null,
    digestTime: s.digestTime ?? null,
    timezone: s.timezone ?? null,
    language: s.language ?? null,
    topics: s.topics ?? null,
    weeklyChart: s.weeklyChart === undefined ? null : s.weeklyChart ? 1 : 0,
  };
}
