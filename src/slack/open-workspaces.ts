import { InstallProvider } from '@slack/oauth';
import type { Services } from '../compose.js';
import { boltLogger } from './bolt-logger.js';
import { createInstallationStore } from './installation-store.js';
import { installedWorkspaces, type WorkspaceClients } from './workspace-clients.js';
import { routeByWorkspace, type WorkspaceRouting } from './workspace-sink.js';

/**
 * The installed workspaces for a front end that serves no HTTP (the CLI): each workspace's token from
 * its sealed installation, rotated when it expires, as `serve` does through Bolt's installer.
 */
export function openInstalledWorkspaces(
  s: Services,
  o: { clientId: string; clientSecret: string; stateSecret: string; secretsKey: Buffer; apiUrl?: string },
): WorkspaceRouting & { clients: WorkspaceClients } {
  const installer = new InstallProvider({
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    stateSecret: o.stateSecret,
    installationStore: createInstallationStore(s.installations, o.secretsKey, s.clock),
    clientOptions: { slackApiUrl: o.apiUrl },
    logger: boltLogger(s.logger),
  });
  const clients = installedWorkspaces({
    authorize: (source) => installer.authorize(source),
    teams: () => s.installations.listTeams(),
    apiUrl: o.apiUrl,
    logger: s.logger,
  });
  return { clients, ...routeByWorkspace(s, clients) };
}
