import type { Db } from './open-database.js';

/** 👍/👎 on stories, per channel and user; one vote per user and story, changeable. */
export class FeedbackRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      vote: db.prepare(
        `INSERT INTO feedback (channel_id, story_id, user_id, value, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(channel_id, story_id, user_id) DO UPDATE SET value = excluded.value, at = excluded.at`,
      ),
      byStory: db.prepare('SELECT coalesce(sum(value), 0) AS n FROM feedback WHERE channel_id = ? AND story_id = ?'),
      labScores: db.prepare(
        `SELECT e.key AS lab, sum(f.value) AS n FROM feedback f JOIN story_entities se ON se.story_id = f.story_id
           AND se.role = 'about' JOIN entities e ON e.id = se.entity_id AND e.kind = 'lab'
         WHERE f.channel_id = ? GROUP BY e.key`,
      ),
    };
  }

  vote(channelId: string, storyId: number, userId: string, value: 1 | -1, now: Date): void {
    this.s.vote.run(channelId, storyId, userId, value, now.toISOString());
  }

  scoreOf(channelId: string, storyId: number): number {
    return (this.s.byStory.get(channelId, storyId) as { n: number }).n;
  }

  /** Net votes per lab in a channel: what this channel likes to read about. */
  labScores(channelId: string): Map<string, number> {
    return new Map((this.s.labScores.all(channelId) as { lab: string; n: number }[]).map((r) => [r.lab, r.n]));
  }
}
