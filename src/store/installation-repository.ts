import { type Sql, statements } from './sql.js';

/** One installation of the app as stored: lookup columns in the clear, tokens only inside `sealed`. */
export interface InstallationRecord {
  teamId: string | null;
  enterpriseId: string | null;
  /** An org-wide install (Enterprise Grid): found by enterprise, whatever the workspace. */
  isEnterpriseInstall: boolean;
  teamName: string | null;
  botUserId: string | null;
  /** The installation (tokens included), encrypted by the caller; this repository never sees a token. */
  sealed: string;
  /** When the bot token expires, with token rotation. @unit seconds since the epoch */
  expiresAt: number | null;
  installedAt: string;
  updatedAt: string;
}

/** A workspace the app is installed in, for listings (`--team` choices). */
export interface InstalledTeam {
  teamId: string;
  teamName: string | null;
  enterpriseId: string | null;
}

interface Row {
  install_key: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise: number;
  team_name: string | null;
  bot_user_id: string | null;
  sealed: string;
  expires_at: number | null;
  installed_at: string;
  updated_at: string;
}

const toRecord = (r: Row): InstallationRecord => ({
  teamId: r.team_id,
  enterpriseId: r.enterprise_id,
  isEnterpriseInstall: r.is_enterprise === 1,
  teamName: r.team_name,
  botUserId: r.bot_user_id,
  sealed: r.sealed,
  expiresAt: r.expires_at,
  installedAt: r.installed_at,
  updatedAt: r.updated_at,
});

/** The row's key: an org-wide install is one row for the whole enterprise, any other one per workspace. */
export function installKey(r: Pick<InstallationRecord, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>): string {
  const key = r.isEnterpriseInstall ? r.enterpriseId : r.teamId;
  if (!key) throw new Error('store: an installation needs a team id (or an enterprise id for an org-wide install)');
  return key;
}

/** Slack installations (OAuth distribution). */
export class InstallationRepository {
  private readonly s;

  constructor(sql: Sql) {
    this.s = statements(sql, {
      save: `INSERT INTO slack_installations (install_key, team_id, enterprise_id, is_enterprise, team_name, bot_user_id, sealed, expires_at, installed_at, updated_at)
         VALUES (@key, @teamId, @enterpriseId, @isEnterprise, @teamName, @botUserId, @sealed, @expiresAt, @now, @now)
         ON CONFLICT (install_key) DO UPDATE SET team_id = excluded.team_id, enterprise_id = excluded.enterprise_id,
           is_enterprise = excluded.is_enterprise, team_name = excluded.team_name, bot_user_id = excluded.bot_user_id,
           sealed = excluded.sealed, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
      byTeam: 'SELECT * FROM slack_installations WHERE install_key = ? AND is_enterprise = 0',
      byEnterprise: 'SELECT * FROM slack_installations WHERE install_key = ? AND is_enterprise = 1',
      deleteTeam: 'DELETE FROM slack_installations WHERE team_id = ? AND is_enterprise = 0',
      deleteEnterprise: 'DELETE FROM slack_installations WHERE enterprise_id = ? AND is_enterprise = 1',
      teams:
        'SELECT team_id, team_name, enterprise_id FROM slack_installations WHERE team_id IS NOT NULL ORDER BY team_id',
    });
  }

  /** Stores an installation, replacing the workspace's (or org's) previous one: a reinstall, a rotated token. */
  async save(r: Omit<InstallationRecord, 'installedAt' | 'updatedAt'>, now: Date): Promise<void> {
    await this.s.save.run({
      key: installKey(r),
      teamId: r.teamId,
      enterpriseId: r.enterpriseId,
      isEnterprise: r.isEnterpriseInstall ? 1 : 0,
      teamName: r.teamName,
      botUserId: r.botUserId,
      sealed: r.sealed,
      expiresAt: r.expiresAt,
      now: now.toISOString(),
    });
  }

  /** A workspace's own installation. */
  async findByTeam(teamId: string): Promise<InstallationRecord | undefined> {
    const r = await this.s.byTeam.get<Row>(teamId);
    return r && toRecord(r);
  }

  /** An org-wide installation. */
  async findByEnterprise(enterpriseId: string): Promise<InstallationRecord | undefined> {
    const r = await this.s.byEnterprise.get<Row>(enterpriseId);
    return r && toRecord(r);
  }

  /** Deletes a workspace's installation (uninstalled, tokens revoked). Returns whether there was one. */
  async deleteByTeam(teamId: string): Promise<boolean> {
    return (await this.s.deleteTeam.run(teamId)).changes > 0;
  }

  /** Deletes an org-wide installation. */
  async deleteByEnterprise(enterpriseId: string): Promise<boolean> {
    return (await this.s.deleteEnterprise.run(enterpriseId)).changes > 0;
  }

  /** Workspaces with an installation, by team id. */
  async listTeams(): Promise<InstalledTeam[]> {
    return (await this.s.teams.all<{ team_id: string; team_name: string | null; enterprise_id: string | null }>()).map(
      (r) => ({ teamId: r.team_id, teamName: r.team_name, enterpriseId: r.enterprise_id }),
    );
  }
}
