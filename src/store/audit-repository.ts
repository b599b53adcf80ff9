import { DEFAULT_TEAM } from '../core/team.js';
import { type Sql, statement } from './sql.js';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/** Who changed what, when: every admin change is written here, with the team it was made in. */
export class AuditRepository {
  private readonly insert;
  private readonly recent;

  constructor(sql: Sql) {
    this.insert = statement(sql, 'INSERT INTO audit_log (at, actor, action, detail, team_id) VALUES (?, ?, ?, ?, ?)');
    this.recent = statement(
      sql,
      'SELECT id, at, actor, action, detail FROM audit_log WHERE team_id = ? ORDER BY id DESC LIMIT ?',
    );
  }

  /** Records a change made in a team (the default team when absent). */
  async record(
    actor: string,
    action: string,
    detail: Record<string, unknown>,
    now: Date,
    team: string = DEFAULT_TEAM,
  ): Promise<void> {
    await this.insert.run(now.toISOString(), actor, action, JSON.stringify(detail), team);
  }

  /** The team's latest entries, newest first. */
  async list(limit = 20, team: string = DEFAULT_TEAM): Promise<AuditEntry[]> {
    return (
      (await this.recent.all(team, limit)) as {
        id: number;
        at: string;
        actor: string;
        action: string;
        detail: string;
      }[]
    ).map((r) => ({
      ...r,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
