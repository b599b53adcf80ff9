import type { WebClient } from '@slack/web-api';
import type { Services } from '../compose.js';
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

/** The channel's workspace as stored with its subscription or watch rules (null when never said). */
export function teamOfChannel(s: Services): (channelId: string) => Promise<string | null> {
  return async (channelId) =>
    (await s.channels.get(channelId))?.teamId ?? (await s.watch.rules(channelId)).find((r) => r.teamId)?.teamId ?? null;
}

/** Where posts go with many workspaces: scheduled ones by the channel's workspace, asked-for ones by the asker's. */
export interface WorkspaceRouting {
  sink: DigestSink;
  sinkFor(teamId: string | undefined): DigestSink;
  /** Whether the channel's workspace still has the app installed. */
  served(channelId: string): Promise<boolean>;
}

export function routeByWorkspace(s: Services, clients: WorkspaceClients): WorkspaceRouting {
  const teamOf = teamOfChannel(s);
  return {
    sink: createWorkspaceSink(clients, teamOf),
    sinkFor: (teamId) => createWorkspaceSink(clients, () => teamId),
    served: async (channelId) => (await clients.forTeam(await teamOf(channelId))) !== undefined,
  };
}
