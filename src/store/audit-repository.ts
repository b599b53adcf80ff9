import { type Sql, statement } from './sql.js';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/** Who changed what, when: every admin change is written here. */
export class AuditRepository {
  private readonly insert;
  private readonly recent;

  constructor(sql: Sql) {
    this.insert = statement(sql, 'INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)');
    this.recent = statement(sql, 'SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  }

  async record(actor: string, action: string, detail: Record<string, unknown>, now: Date): Promise<void> {
    await this.insert.run(now.toISOString(), actor, action, JSON.stringify(detail));
  }

  async list(limit = 20): Promise<AuditEntry[]> {
    return (
      (await this.recent.all(limit)) as { id: number; at: string; actor: string; action: string; detail: string }[]
    ).map((r) => ({
      ...r,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
