import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Clock } from '../core/clock.js';
import { openSecret, sealSecret } from '../core/secret-box.js';
import { type InstallationRepository, installKey } from '../store/installation-repository.js';

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** The workspace (or org) an installation or a query is for: the sealed value is bound to it. */
function keyOf(q: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }): string {
  return installKey({
    teamId: q.teamId ?? null,
    enterpriseId: q.enterpriseId ?? null,
    isEnterpriseInstall: q.isEnterpriseInstall === true,
  });
}

/**
 * Bolt's InstallationStore over the project's database: the installation Bolt builds after
 * `oauth.v2.access` (bot token, refresh token and expiry with token rotation, user token if any) is
 * stored whole, encrypted with SECRETS_KEY and bound to its workspace id; lookups use the clear
 * columns. A workspace without an installation makes fetchInstallation throw, so Bolt's authorize
 * fails and the request gets no listener and no Web API call.
 */
export function createInstallationStore(repo: InstallationRepository, key: Buffer, clock: Clock): InstallationStore {
  return {
    async storeInstallation(installation) {
      const i = installation as AnyInstallation;
      const q = {
        teamId: i.team?.id,
        enterpriseId: i.enterprise?.id,
        isEnterpriseInstall: i.isEnterpriseInstall === true,
      };
      await repo.save(
        {
          teamId: q.teamId ?? null,
          enterpriseId: q.enterpriseId ?? null,
          isEnterpriseInstall: q.isEnterpriseInstall,
          teamName: i.team?.name ?? null,
          botUserId: i.bot?.userId ?? null,
          sealed: sealSecret(key, JSON.stringify(i), keyOf(q)),
          expiresAt: i.bot?.expiresAt ?? null,
        },
        clock.now(),
      );
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const record =
        query.isEnterpriseInstall && query.enterpriseId
          ? await repo.findByEnterprise(query.enterpriseId)
          : query.teamId
            ? await repo.findByTeam(query.teamId)
            : undefined;
      if (!record)
        throw new Error(
          `slack: no installation for ${query.isEnterpriseInstall ? `enterprise ${query.enterpriseId}` : `team ${query.teamId ?? '?'}`}`,
        );
      return JSON.parse(openSecret(key, record.sealed, installKey(record))) as AnyInstallation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      if (query.isEnterpriseInstall && query.enterpriseId) await repo.deleteByEnterprise(query.enterpriseId);
      else if (query.teamId) await repo.deleteByTeam(query.teamId);
    },
  };
}
