import type { Db } from './open-database.js';

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

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)');
    this.recent = db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  }

  record(actor: string, action: string, detail: Record<string, unknown>, now: Date): void {
    this.insert.run(now.toISOString(), actor, action, JSON.stringify(detail));
  }

  list(limit = 20): AuditEntry[] {
    return (this.recent.all(limit) as { id: number; at: string; actor: string; action: string; detail: string }[]).map(
      (r) => ({
        ...r,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
      }),
    );
  }
}
