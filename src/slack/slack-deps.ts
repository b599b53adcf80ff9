import type { InstallationStore } from '@slack/bolt';
import type { Services } from '../compose.js';
import { owningTeam } from '../core/team.js';
import type { DigestSink } from '../digest/digest-sink.js';
import type { WorkspaceClients } from './workspace-clients.js';

/** What listeners need: the services, the admin check, the workspaces' clients and sinks. */
export interface SlackDeps {
  services: Services;
  isAdmin: (teamId: string | undefined, userId: string) => Promise<boolean>;
  /** Posts with one bot token (single workspace): every team's, which is only the default team. */
  sink: DigestSink;
  /** Posts for one team (`digest now`, its scheduled digests and watch posts): that workspace's token. */
  sinkFor(teamId: string | undefined): DigestSink;
  /** Web API clients per workspace (one client with a single bot token). */
  clients: WorkspaceClients;
  /**
   * Whether a team's workspace still has the app installed; scheduled digests and watch posts skip the
   * others' channels. Absent with a single bot token, where every channel is served.
   */
  served?: (teamId: string) => Promise<boolean>;
  /** Installations (OAuth distribution only): uninstall and token revocation delete from here. */
  installations?: InstallationStore;
}

/**
 * The team a Slack request acts for (CommandContext.teamId): the requesting workspace with OAuth
 * distribution; undefined (the default team) with one bot token, whatever team id the payload carries.
 */
export function requestTeam(
  deps: Pick<SlackDeps, 'clients'>,
  payloadTeam: string | null | undefined,
): string | undefined {
  return deps.clients.multi && payloadTeam ? payloadTeam : undefined;
}

/** The team id a repository call takes for a Slack request (the default team with one bot token). */
export function dataTeam(deps: Pick<SlackDeps, 'clients'>, payloadTeam: string | null | undefined): string {
  return owningTeam(deps.clients.multi, payloadTeam);
}
