import type { InstallationStore } from '@slack/bolt';
import type { Services } from '../compose.js';
import type { DigestSink } from '../digest/digest-sink.js';
import type { WorkspaceClients } from './workspace-clients.js';

/** What listeners need: the services, the admin check, the workspaces' clients and sinks. */
export interface SlackDeps {
  services: Services;
  isAdmin: (teamId: string | undefined, userId: string) => Promise<boolean>;
  /** Scheduled posts (digests, watch posts): each channel with its own workspace's token. */
  sink: DigestSink;
  /** Posts asked for from one workspace (`digest now`): that workspace's token. */
  sinkFor(teamId: string | undefined): DigestSink;
  /** Web API clients per workspace (one client with a single bot token). */
  clients: WorkspaceClients;
  /**
   * Whether a channel's workspace still has the app installed; scheduled digests and watch posts skip
   * the others. Absent with a single bot token, where every channel is served.
   */
  served?: (channelId: string) => Promise<boolean>;
  /** Installations (OAuth distribution only): uninstall and token revocation delete from here. */
  installations?: InstallationStore;
}
