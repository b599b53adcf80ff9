import { formatPollReport } from './commands/poll-command.js';
import { buildServices, type Overrides } from './compose.js';
import { type Config, loadConfig } from './config/load-config.js';
import { readEnvironment } from './config/read-environment.js';
import { AppError } from './core/errors.js';
import { composeDigest } from './digest/compose-digest.js';
import { renderText } from './digest/render-text.js';
import { seedFeeds } from './ingest/import-opml.js';
import { runIngest } from './ingest/run-ingest.js';

/**
 * The main job without Slack credentials: ensure the database, seed feeds when there are none, poll
 * once, print what each feed gave and the digest of the last 24 hours, then say how to connect Slack.
 * Feed failures are reported, not fatal.
 */
export async function runOnce(config: Config, out: (s: string) => void, overrides: Overrides = {}): Promise<void> {
  const s = buildServices(config, overrides);
  try {
    const seeded = await seedFeeds(s);
    if (seeded > 0) out(`Subscribed to ${seeded} feeds from ${config.feedsFile}.\n`);
    out(`Polling ${s.feeds.count()} feeds…\n`);
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

/** Runs the Slack app and the scheduler until SIGTERM/SIGINT. */
export async function startServer(config: Config, _overrides: Overrides = {}): Promise<void> {
  throw new AppError(
    'usage',
    `serve: the Slack app is not built yet; run without Slack credentials for a one-shot poll (${config.databasePath}).`,
  );
}

async function main(): Promise<void> {
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
  if (config.slack.botToken) await startServer(config);
  else await runOnce(config, (s) => process.stdout.write(s));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`ai-news: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
