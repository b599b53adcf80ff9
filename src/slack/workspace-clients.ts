import type { WebClient } from '@slack/web-api';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { DEFAULT_TEAM } from '../core/team.js';
import type { InstalledTeam } from '../store/installation-repository.js';
import { createWebClient } from './slack-sink.js';

/** The Web API client that acts as the bot in a given workspace. */
export interface WorkspaceClients {
  /** True with OAuth distribution: each workspace has its own installed token. */
  readonly multi: boolean;
  /**
   * The client for a workspace, or undefined when it has no installation (never installed,
   * uninstalled, tokens revoked). Without a team id (undefined): the only installation, if there is
   * exactly one; null or the default team ('') never falls back, so data no workspace owns is never
   * posted into one.
   * With one bot token (single workspace) that token's client, whatever the team.
   */
  forTeam(teamId: string | null | undefined): Promise<WebClient | undefined>;
}

/** One workspace, one bot token (SLACK_BOT_TOKEN): every team id gets the same client. */
export function singleWorkspace(client: WebClient): WorkspaceClients {
  return { multi: false, forTeam: async () => client };
}

/** What Bolt's InstallProvider#authorize answers that matters here. */
type Authorize = (source: {
  teamId: string;
  enterpriseId: undefined;
  isEnterpriseInstall: false;
}) => Promise<{ botToken?: string }>;

/** At most this many clients are kept; a rotated token makes a new one. */
const CACHE_LIMIT = 256;

/**
 * Many workspaces (OAuth distribution): a workspace's token comes from its stored installation through
 * Bolt's InstallProvider#authorize, which also rotates a token that expires within two hours (token
 * rotation) and stores the new one — so scheduled posts and the CLI refresh tokens as requests do.
 */
export function installedWorkspaces(o: {
  authorize: Authorize;
  teams: () => Promise<InstalledTeam[]>;
  apiUrl?: string;
  logger: Logger;
}): WorkspaceClients {
  const clients = new Map<string, WebClient>();
  return {
    multi: true,
    async forTeam(teamId) {
      if (teamId === null || teamId === DEFAULT_TEAM) return undefined;
      let team = teamId;
      if (team === undefined) {
        const all = await o.teams();
        team = all.length === 1 ? all[0]?.teamId : undefined;
        if (!team) return undefined;
      }
      let token: string | undefined;
      try {
        // Org-wide installs are found by enterprise; scheduled work knows only the workspace, so an org-wide
        // install gets no scheduled posts (a known limit, in docs/deployment.md).
        token = (await o.authorize({ teamId: team, enterpriseId: undefined, isEnterpriseInstall: false })).botToken;
      } catch (err) {
        // No installation is the expected case; anything else (a changed SECRETS_KEY, a failed refresh) is logged.
        if (!/no installation for/.test(errorMessage(err)))
          o.logger.warn('slack: could not get the installed token of a workspace', {
            teamId: team,
            error: errorMessage(err),
          });
        return undefined;
      }
      if (!token) return undefined;
      let client = clients.get(token);
      if (!client) {
        if (clients.size >= CACHE_LIMIT) clients.clear();
        client = createWebClient(token, o.apiUrl);
        clients.set(token, client);
      }
      return client;
    },
  };
}
