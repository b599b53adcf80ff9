import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { WorkspaceClients } from './workspace-clients.js';

/**
 * Admins are ADMIN_USER_IDS plus workspace admins and owners per users.info, cached briefly per
 * (team, user) — never by name, asked with that workspace's token. When Slack cannot answer, or the
 * workspace has no installation, the answer is no (fail closed).
 */
export function createAdminCheck(
  clients: WorkspaceClients,
  adminIds: string[],
  clock: Clock,
  logger: Logger,
  ttlMs = 5 * 60_000,
) {
  const cache = new Map<string, { admin: boolean; until: number }>();
  return async function isAdmin(teamId: string | undefined, userId: string): Promise<boolean> {
    if (adminIds.includes(userId)) return true;
    const key = `${teamId ?? '?'}:${userId}`;
    const hit = cache.get(key);
    const now = clock.now().getTime();
    if (hit && hit.until > now) return hit.admin;
    try {
      const client = await clients.forTeam(teamId);
      if (!client) return false;
      const res = await client.users.info({ user: userId });
      const u = res.user as { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean } | undefined;
      const admin = !!(u?.is_admin || u?.is_owner || u?.is_primary_owner);
      cache.set(key, { admin, until: now + ttlMs });
      return admin;
    } catch (err) {
      logger.warn('slack: users.info failed; treating the user as not an admin', {
        userId,
        error: (err as Error).message,
      });
      return false;
    }
  };
}
