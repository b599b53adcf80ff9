import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatPollReport } from './commands/poll-command.js';
import { buildServices, type Overrides } from './compose.js';
import { type Config, isMultiWorkspace, loadConfig, requireServeSettings } from './config/load-config.js';
import { readEnvironment } from './config/read-environment.js';
import { AppError, EXIT_CONFIG, errorMessage, isAppError } from './core/errors.js';
import { createLogger, type Logger } from './core/logger.js';
import { DEFAULT_TEAM } from './core/team.js';
import { tuneHeap } from './core/tune-heap.js';
import { composeDigest } from './digest/compose-digest.js';
import { renderText } from './digest/render-text.js';
import { runDueDigests } from './digest/send-digest.js';
import { seedFeeds } from './ingest/import-opml.js';
import { type IngestReport, runIngest } from './ingest/run-ingest.js';
import { createMcpHttpHandler } from './mcp/mcp-http-handler.js';
import { checkHealth } from './ops/check-health.js';
import { pruneArchive } from './ops/prune-archive.js';
import { startScheduler } from './scheduler/start-scheduler.js';
import { createSlackApp, type SlackAppOptions } from './slack/create-slack-app.js';
import { sendFeedAlerts } from './slack/send-feed-alerts.js';
import { runWatches } from './watch/run-watches.js';

/**
 * The main job without Slack credentials: ensure the database, seed feeds when there are none, poll
 * once, print what each feed gave and the digest of the last 24 hours, then say how to connect Slack.
 * Feed failures are reported, not fatal.
 */
export async function runOnce(config: Config, out: (s: string) => void, overrides: Overrides = {}): Promise<void> {
  // The printed report already gives each feed's outcome; unless LOG_LEVEL says otherwise, only warnings log.
  const s = await buildServices(config, { logger: createLogger(config.logLevel ?? 'warn'), ...overrides });
  try {
    const seeded = await seedFeeds(s).catch((err: unknown) => {
      out(`Could not seed feeds: ${errorMessage(err)}\n`);
      return 0;
    });
    if (seeded > 0) out(`Subscribed to ${seeded} feeds from ${config.feedsFile}.\n`);
    out(`Polling ${await s.feeds.count()} feeds…\n`);
    const report = await runIngest(s, { all: true });
    out(`${formatPollReport(report)}\n\n`);
    const now = s.clock.now();
    const digest = await composeDigest(s, { from: new Date(now.getTime() - 86_400_000), to: now });
    out(`${renderText(digest)}\n\n`);
    out(
      'To post this digest to Slack every morning, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) and run `npm start` again; see README.md.\n',
    );
  } finally {
    await s.close();
  }
}

/** A running server: its HTTP port and a graceful stop. */
export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * Runs the Slack app (HTTP or Socket Mode) with /healthz, /metrics and (when MCP_TOKEN is set) /mcp on
 * the same server, and the scheduler: polls followed by watch posts, due digests (also once at start,
 * to catch up after downtime), feed-health alerts.
 */
export async function startServer(
  config: Config,
  overrides: Overrides & { slackVerify?: SlackAppOptions['verify'] } = {},
): Promise<RunningServer> {
  requireServeSettings(config);
  const s = await buildServices(config, overrides);
  const startedAt = s.clock.now();
  let schedulerRunning = false;
  const pollEveryMs = 5 * 60_000;
  const health = async () => await checkHealth(s, { schedulerRunning, startedAt, pollEveryMs });
  const oauth = config.slack.oauth;
  const slack = await createSlackApp(s, {
    token: config.slack.botToken,
    ...(oauth && config.secretsKey ? { oauth: { ...oauth, secretsKey: config.secretsKey } } : {}),
    signingSecret: config.slack.signingSecret,
    appToken: config.slack.appToken,
    apiUrl: config.slack.apiUrl,
    port: config.port,
    verify: overrides.slackVerify,
    routes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: async (_req, res) => {
          const h = await health();
          res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify(h));
        },
      },
      {
        path: '/metrics',
        method: ['GET'],
        handler: (_req, res) => {
          s.metrics.registry.metrics().then(
            (text) => {
              res.writeHead(200, { 'content-type': s.metrics.registry.contentType });
              res.end(text);
            },
            () => res.writeHead(500).end(),
          );
        },
      },
      ...(config.mcpToken
        ? [
            {
              path: '/mcp',
              method: ['POST', 'GET', 'DELETE'],
              handler: (() => {
                const mcp = createMcpHttpHandler(s, config.mcpToken as string);
                return (req: IncomingMessage, res: ServerResponse) => void mcp(req, res);
              })(),
            },
          ]
        : []),
    ],
  }).catch(async (err: unknown) => {
    await s.close();
    throw err;
  });
  await seedFeeds(s).catch((err: unknown) =>
    s.logger.warn('feeds: could not seed the default feeds', { error: errorMessage(err) }),
  );
  const port = await slack.start(config.port);
  // Many workspaces: each team's digests and watch posts go out with its own installation's token.
  const teamSink = slack.deps.clients.multi ? (team: string) => slack.deps.sinkFor(team) : undefined;
  // One ingest cycle at a time, whether started by the schedule or by the start-up catch-up; each is
  // followed by the watch step, whose failure never fails the poll.
  let polling: Promise<unknown> = Promise.resolve();
  const poll = (): Promise<IngestReport> => {
    const cycle = polling
      .catch(() => undefined)
      .then(async () => {
        const report = await runIngest(s);
        // Watch posts are claimed in the database first: a database refusing writes skips them this cycle.
        if (!report.storage)
          await runWatches(s, slack.deps.sink, { served: slack.deps.served, sinkFor: teamSink }).catch((err: unknown) =>
            s.logger.error('watch: run failed', { error: errorMessage(err) }),
          );
        return report;
      });
    polling = cycle;
    return cycle;
  };
  // Polls and digests are claimed piece by piece (each feed, each digest); a periodic job that is one
  // piece is claimed per run, so however many processes serve one database, each runs once.
  const oncePerRun = (name: string, periodMs: number, run: () => Promise<unknown>) => async () => {
    if (await s.claims.claimPeriod(`job:${name}`, s.clock.now(), periodMs)) await run();
  };
  // Channels of a workspace that uninstalled the app are skipped (OAuth distribution).
  const dueDigests = () => runDueDigests(s, slack.deps.sink, { served: slack.deps.served, sinkFor: teamSink });
  const scheduler = startScheduler(
    [
      { name: 'poll', expression: '*/5 * * * *', run: poll },
      { name: 'digests', expression: '* * * * *', run: dueDigests },
      {
        name: 'feed-alerts',
        expression: '*/15 * * * *',
        run: oncePerRun('feed-alerts', 15 * 60_000, async () => {
          // Each workspace hears about its own feeds, through its own token (ADMIN_USER_IDS in it).
          for (const team of slack.deps.clients.multi
            ? (await s.installations.listTeams()).map((t) => t.teamId)
            : [DEFAULT_TEAM]) {
            const client = await slack.deps.clients.forTeam(team);
            if (client) await sendFeedAlerts(s, client, team);
          }
        }),
      },
      { name: 'retention', expression: '17 3 * * *', run: oncePerRun('retention', 86_400_000, () => pruneArchive(s)) },
    ],
    s.logger,
  );
  schedulerRunning = true;
  // On start: catch up on polls, then on digests missed while the service was down; a failed poll
  // does not skip the digests. Both are claimed piece by piece, so several processes starting together
  // fetch each feed and post each digest once.
  const catchUp = (async () => {
    const polled = await poll().catch((err: unknown) =>
      s.logger.error('ai-news: start-up poll failed', { error: errorMessage(err) }),
    );
    const digests = await dueDigests().catch((err: unknown) =>
      s.logger.error('ai-news: start-up digest catch-up failed', { error: errorMessage(err) }),
    );
    s.logger.info('ai-news: start-up catch-up done', {
      feedsPolled: polled ? polled.feeds.filter((f) => f.status !== 'paused').length : null,
      polledElsewhere: polled ? polled.polledElsewhere : null,
      digests: digests ? digests.map((d) => d.result.status) : null,
    });
  })();
  s.logger.info('ai-news: serving', {
    port,
    mode: isMultiWorkspace(config) ? 'http-oauth' : config.slack.signingSecret ? 'http' : 'socket',
    mcp: config.mcpToken ? '/mcp' : 'off',
  });
  return {
    port,
    async stop() {
      schedulerRunning = false;
      await scheduler.stop();
      await catchUp; // the start-up catch-up, if it still runs (it never rejects)
      await polling.catch(() => undefined);
      await slack.stop();
      await s.close();
    },
  };
}

/** Stops gracefully on the first SIGTERM/SIGINT; a second one exits at once. */
export function stopOnSignals(server: RunningServer, exit: (code: number) => void = (c) => process.exit(c)): void {
  let stopping = false;
  const onSignal = () => {
    if (stopping) return exit(130);
    stopping = true;
    server.stop().then(
      () => exit(0),
      () => exit(1),
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * Logs a promise rejection nobody handled instead of letting Node end the server for it: one stray
 * rejection in a listener or a library must not drop every other request. Returns the unregister.
 */
export function logUnhandledRejections(logger: Logger): () => void {
  const onRejection = (reason: unknown) =>
    logger.error('ai-news: unhandled promise rejection (logged; the process goes on)', {
      error: errorMessage(reason),
    });
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}

/**
 * Starts `serve` for a front end (npm start, `ai-news serve`): a settings problem or a token Slack
 * refuses is one line on stderr and an exit code (1, or 78 for the token), never a stack.
 */
export async function serveOrExplain(
  config: Config,
  err: (s: string) => void,
  overrides: Overrides = {},
): Promise<{ server: RunningServer } | { exitCode: number }> {
  logUnhandledRejections(overrides.logger ?? createLogger(config.logLevel ?? 'info'));
  try {
    return { server: await startServer(config, overrides) };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    err(`ai-news: ${e.message}\n`);
    // A token Slack refuses, an unusable DATABASE_PATH and OAuth without SECRETS_KEY are configuration:
    // EX_CONFIG, so a supervisor can tell them from a crash.
    return {
      exitCode: ['slack_auth', 'database_unusable', 'secrets_key_missing'].includes(e.code) ? EXIT_CONFIG : 1,
    };
  }
}

async function main(): Promise<void> {
  tuneHeap();
  let config: Config;
  try {
    config = loadConfig(readEnvironment());
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (!config.slack.botToken && !isMultiWorkspace(config)) return runOnce(config, (s) => process.stdout.write(s));
  const r = await serveOrExplain(config, (s) => process.stderr.write(s));
  if ('exitCode' in r) process.exit(r.exitCode);
  stopOnSignals(r.server);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`ai-news: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(isAppError(err, 'database_unusable') ? EXIT_CONFIG : 1);
  });
}
