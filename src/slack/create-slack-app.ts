import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Services } from '../compose.js';
import { createAdminCheck } from './admin-check.js';
import { boltLogger } from './bolt-logger.js';
import { BOT_SCOPES } from './ids.js';
import { createInstallationStore } from './installation-store.js';
import { registerListeners } from './listeners/index.js';
import { refuseMalformedRequests } from './refuse-malformed-requests.js';
import { skipRepeatedEvents } from './skip-repeated-events.js';
import type { SlackDeps } from './slack-deps.js';
import { createSlackSink, createWebClient } from './slack-sink.js';
import { type VerifyOptions, verifyBotToken } from './verify-bot-token.js';
import { installedWorkspaces, singleWorkspace, type WorkspaceClients } from './workspace-clients.js';
import { routeByWorkspace } from './workspace-sink.js';

/** OAuth distribution: many workspaces, each installed through /slack/install. */
export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** SECRETS_KEY: seals the installed tokens in the database. */
  secretsKey: Buffer;
}

export interface SlackAppOptions {
  /** One workspace: its bot token (SLACK_BOT_TOKEN). */
  token?: string;
  /** Many workspaces (HTTP mode only); excludes `token` and `appToken`. */
  oauth?: OAuthOptions;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  /** Extra HTTP routes on the same server: /healthz, /metrics. */
  routes?: CustomRoute[];
  /** Socket Mode serves the extra routes on their own HTTP server, on this port. */
  port?: number;
  /** Start-up token check tuning (tests shorten the backoff). */
  verify?: Omit<VerifyOptions, 'logger'>;
}

/** A Bolt app ready to start, with what its listeners use. */
export interface SlackApp {
  app: App;
  deps: SlackDeps;
  start(port: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The Bolt app, not started: HTTP mode (requests at /slack/events, signatures and timestamps
 * verified by Bolt; a signed but malformed body gets 400) when a signing secret is given, Socket Mode
 * when an app token is. With one bot token, the token is checked first (auth.test, transient failures
 * retried): a token Slack refuses throws AppError('slack_auth'). Bolt is given the bot's identity, so it
 * never calls auth.test itself, whose rejection it would leave unhandled.
 *
 * With `oauth` (OAuth distribution) there is no token to check: Bolt's installer serves /slack/install
 * (straight to Slack's consent page, with a signed state in a cookie) and /slack/oauth_redirect
 * (`oauth.v2.access` at SLACK_API_URL), storing each workspace's installation sealed in the database;
 * every request is authorized from its workspace's installation, rotating an expiring token.
 */
export async function createSlackApp(s: Services, o: SlackAppOptions): Promise<SlackApp> {
  if (o.oauth) return createMultiWorkspaceApp(s, o, o.oauth);
  if (!o.token) throw new Error('slack: a bot token or OAuth settings are required');
  const client = createWebClient(o.token, o.apiUrl);
  const identity = await verifyBotToken(client, { logger: s.logger, ...o.verify });
  const socketMode = !!o.appToken && !o.signingSecret;
  const logger = boltLogger(s.logger);
  const receiver = socketMode ? undefined : httpReceiver(s, o, logger);
  const app = new App({
    token: o.token,
    botId: identity.botId,
    botUserId: identity.botUserId,
    ...(socketMode
      ? {
          appToken: o.appToken,
          socketMode: true,
          customRoutes: o.routes ?? [],
          // Socket Mode opens its connection through apps.connections.open: same Web API base URL as the rest.
          installerOptions: { port: o.port, clientOptions: { slackApiUrl: o.apiUrl } },
        }
      : { receiver }),
    clientOptions: { slackApiUrl: o.apiUrl },
    logger,
    logLevel: LogLevel.WARN,
  });
  const clients = singleWorkspace(client);
  const sink = createSlackSink(client);
  return finish(s, app, { services: s, clients, sink, sinkFor: () => sink, isAdmin: adminCheck(s, clients) });
}

function adminCheck(s: Services, clients: WorkspaceClients) {
  return createAdminCheck(clients, s.config.adminUserIds, s.clock, s.logger);
}

function httpReceiver(
  s: Services,
  o: SlackAppOptions,
  logger: SlackLogger,
  oauth?: Omit<ConstructorParameters<typeof HTTPReceiver>[0], 'signingSecret'>,
): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: o.signingSecret as string,
    customRoutes: o.routes ?? [],
    logger,
    ...oauth,
  });
  receiver.requestListener = refuseMalformedRequests(receiver.requestListener, {
    signingSecret: o.signingSecret as string,
    logger: s.logger,
  });
  return receiver;
}

async function createMultiWorkspaceApp(s: Services, o: SlackAppOptions, oauth: OAuthOptions): Promise<SlackApp> {
  const logger = boltLogger(s.logger);
  const installations = createInstallationStore(s.installations, oauth.secretsKey, s.clock);
  const receiver = httpReceiver(s, o, logger, {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: [...BOT_SCOPES],
    installationStore: {
      ...installations,
      async storeInstallation(installation, l) {
        await installations.storeInstallation(installation, l);
        s.logger.info('slack: installation stored', {
          team: installation.team?.id,
          enterprise: installation.enterprise?.id,
          tokenRotation: installation.bot?.expiresAt !== undefined,
        });
      },
    },
    installerOptions: {
      // /slack/install redirects straight to Slack's consent page (a Marketplace "direct install").
      directInstall: true,
      // The code exchange (oauth.v2.access), its auth.test and token refreshes use SLACK_API_URL.
      clientOptions: { slackApiUrl: o.apiUrl },
    },
  });
  const installer = receiver.installer;
  if (!installer) throw new Error('slack: Bolt did not set up its installer');
  const app = new App({ receiver, clientOptions: { slackApiUrl: o.apiUrl }, logger, logLevel: LogLevel.WARN });
  const clients = installedWorkspaces({
    authorize: (source) => installer.authorize(source),
    teams: () => s.installations.listTeams(),
    apiUrl: o.apiUrl,
    logger: s.logger,
  });
  return finish(s, app, {
    services: s,
    clients,
    ...routeByWorkspace(s, clients),
    isAdmin: adminCheck(s, clients),
    installations,
  });
}

/** Error logging, the middleware and listeners, start and stop: the same for both modes. */
function finish(s: Services, app: App, deps: SlackDeps): SlackApp {
  app.error(async (err) => {
    const code = (err as { code?: string }).code;
    // A workspace with no installation (never installed, uninstalled): Bolt calls no listener.
    if (code === 'slack_bolt_authorization_error')
      return void s.logger.warn('slack: request from a workspace without an installation ignored', {
        error: err.message,
      });
    s.logger.error('slack: unhandled listener error', { error: err.message, code });
  });
  app.use(skipRepeatedEvents(s));
  registerListeners(app, deps);
  return {
    app,
    deps,
    async start(port: number) {
      const server = (await app.start(port)) as unknown as Server | undefined;
      const address = server?.address?.() as AddressInfo | null | undefined;
      return address?.port ?? port;
    },
    async stop() {
      await app.stop();
    },
  };
}
