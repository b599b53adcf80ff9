import type { WebClient } from '@slack/web-api';
import type { Services } from '../compose.js';
import { DEFAULT_TEAM } from '../core/team.js';
import { type DigestSink, SinkError } from '../digest/digest-sink.js';
import { createSlackSink } from './slack-sink.js';
import type { WorkspaceClients } from './workspace-clients.js';

/**
 * A sink that posts each message with the token of the workspace the channel belongs to: `teamOf`
 * names it (a slash command's team, or the team stored with a subscribed channel or watch rule). A
 * workspace with no installation is a fatal sink error: retrying will not bring its token back.
 */
export function createWorkspaceSink(
  clients: WorkspaceClients,
  teamOf: (channelId: string) => Promise<string | null | undefined> | string | null | undefined,
): DigestSink {
  const sinks = new WeakMap<WebClient, DigestSink>();
  const sinkFor = async (channelId: string): Promise<DigestSink> => {
    const team = await teamOf(channelId);
    const client = await clients.forTeam(team);
    if (!client)
      throw new SinkError(
        'fatal',
        `slack: the app is not installed in ${team ? `workspace ${team}` : 'the workspace of this channel'} (uninstalled, or tokens revoked)`,
      );
    let sink = sinks.get(client);
    if (!sink) {
      sink = createSlackSink(client);
      sinks.set(client, sink);
    }
    return sink;
  };
  return {
    post: async (channel, message, options) => (await sinkFor(channel)).post(channel, message, options),
    findPosted: async (channel, digestId, since, parentTs, kind) =>
      (await sinkFor(channel)).findPosted(channel, digestId, since, parentTs, kind),
    uploadChart: async (channel, chart, options) => {
      const sink = await sinkFor(channel);
      await sink.uploadChart?.(channel, chart, options);
    },
  };
}

/**
 * Where posts go with many workspaces: every post for a team (its scheduled digests and watch posts,
 * `digest now`) with that team's token. The default team (data from before tenancy that no installed
 * workspace owned) has no workspace: it is never served, and `sink` refuses rather than guess one.
 */
export interface WorkspaceRouting {
  sink: DigestSink;
  sinkFor(teamId: string | undefined): DigestSink;
  /** Whether the team's workspace still has the app installed. */
  served(teamId: string): Promise<boolean>;
}

export function routeByWorkspace(_s: Services, clients: WorkspaceClients): WorkspaceRouting {
  return {
    sink: createWorkspaceSink(clients, () => null),
    sinkFor: (teamId) => createWorkspaceSink(clients, () => teamId ?? null),
    served: async (teamId) => teamId !== DEFAULT_TEAM && (await clients.forTeam(teamId)) !== undefined,
  };
}
