import { DEFAULT_TEAM } from '../core/team.js';
import { type Sql, statement } from './sql.js';

/** 👍/👎 on stories, per (team, channel) and user; one vote per user and story, changeable. */
export class FeedbackRepository {
  private readonly s;

  constructor(sql: Sql) {
    this.s = {
      vote: statement(
        sql,
        `INSERT INTO feedback (team_id, channel_id, story_id, user_id, value, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(team_id, channel_id, story_id, user_id) DO UPDATE SET value = excluded.value, at = excluded.at`,
      ),
      byStory: statement(
        sql,
        'SELECT coalesce(sum(value), 0) AS n FROM feedback WHERE team_id = ? AND channel_id = ? AND story_id = ?',
      ),
      labScores: statement(
        sql,
        `SELECT e.key AS lab, sum(f.value) AS n FROM feedback f JOIN story_entities se ON se.story_id = f.story_id
           AND se.role = 'about' JOIN entities e ON e.id = se.entity_id AND e.kind = 'lab'
         WHERE f.team_id = ? AND f.channel_id = ? GROUP BY e.key`,
      ),
    };
  }

  async vote(
    channelId: string,
    storyId: number,
    userId: string,
    value: 1 | -1,
    now: Date,
    team: string = DEFAULT_TEAM,
  ): Promise<void> {
    await this.s.vote.run(team, channelId, storyId, userId, value, now.toISOString());
  }

  async scoreOf(channelId: string, storyId: number, team: string = DEFAULT_TEAM): Promise<number> {
    return ((await this.s.byStory.get(team, channelId, storyId)) as { n: number }).n;
  }

  /** Net votes per lab in a channel: what this channel likes to read about. */
  async labScores(channelId: string, team: string = DEFAULT_TEAM): Promise<Map<string, number>> {
    return new Map(
      ((await this.s.labScores.all(team, channelId)) as { lab: string; n: number }[]).map((r) => [r.lab, r.n]),
    );
  }
}
