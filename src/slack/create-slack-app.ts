import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Services } from '../compose.js';
import type { Logger } from '../core/logger.js';
import { createAdminCheck } from './admin-check.js';
import { registerListeners } from './listeners/index.js';
import { refuseMalformedRequests } from './refuse-malformed-requests.js';
import { skipRepeatedEvents } from './skip-repeated-events.js';
import type { SlackDeps } from './slack-deps.js';
import { createSlackSink, createWebClient } from './slack-sink.js';
import { type VerifyOptions, verifyBotToken } from './verify-bot-token.js';

/** Bolt's logger interface over ours, so Slack's messages land in the same JSON lines. */
function boltLogger(logger: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const text = (msg: unknown[]) =>
    msg.map((m) => (typeof m === 'string' ? m : ((m as Error)?.message ?? JSON.stringify(m)))).join(' ');
  return {
    debug: (...m: unknown[]) => level === LogLevel.DEBUG && logger.debug(`slack: ${text(m)}`),
    info: (...m: unknown[]) =>
      (level === LogLevel.DEBUG || level === LogLevel.INFO) && logger.info(`slack: ${text(m)}`),
    warn: (...m: unknown[]) => level !== LogLevel.ERROR && logger.warn(`slack: ${text(m)}`),
    error: (...m: unknown[]) => logger.error(`slack: ${text(m)}`),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  } as SlackLogger;
}

export interface SlackAppOptions {
  token: string;
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
 * when an app token is. The bot token is checked first (auth.test, transient failures retried): a token
 * Slack refuses throws AppError('slack_auth'). Bolt is given the bot's identity, so it never calls
 * auth.test itself, whose rejection it would leave unhandled.
 */
export async function createSlackApp(s: Services, o: SlackAppOptions): Promise<SlackApp> {
  const client = createWebClient(o.token, o.apiUrl);
  const identity = await verifyBotToken(client, { logger: s.logger, ...o.verify });
  const socketMode = !!o.appToken && !o.signingSecret;
  const logger = boltLogger(s.logger);
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({ signingSecret: o.signingSecret as string, customRoutes: o.routes ?? [], logger });
  if (receiver)
    receiver.requestListener = refuseMalformedRequests(receiver.requestListener, {
      signingSecret: o.signingSecret as string,
      logger: s.logger,
    });
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
  app.error(async (err) => {
    s.logger.error('slack: unhandled listener error', { error: err.message, code: (err as { code?: string }).code });
  });
  const deps: SlackDeps = {
    services: s,
    client,
    sink: createSlackSink(client),
    isAdmin: createAdminCheck(client, s.config.adminUserIds, s.clock, s.logger),
  };
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
