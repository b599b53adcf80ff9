import { writeFile } from 'node:fs/promises';
import { parseWords } from '../commands/parse-words.js';
import { runCommand } from '../commands/run-command.js';
import type { CommandContext } from '../commands/types.js';
import { buildServices, type Overrides } from '../compose.js';
import { type Config, isMultiWorkspace, loadConfig, requireSecretsKey } from '../config/load-config.js';
import { readEnvironment } from '../config/read-environment.js';
import { AppError, EXIT_CONFIG, isAppError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { openInstalledWorkspaces } from '../slack/open-workspaces.js';
import { createSlackSink, createWebClient } from '../slack/slack-sink.js';
import type { InstalledTeam } from '../store/installation-repository.js';
import { createTerminalSink } from './terminal-sink.js';

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

/**
 * The `ai-news` command line: the /ai-news grammar plus `serve`, `mcp` (MCP over stdio) and `migrate`.
 * The operator is an admin.
 * Returns the exit code. `env` and `overrides` exist for tests.
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  env?: Record<string, string | undefined>,
  overrides: Overrides = {},
): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env ?? readEnvironment());
  } catch (err) {
    if (err instanceof AppError) {
      io.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const json = argv.includes('--json');
  const words = argv.filter((a) => a !== '--json');
  if (words[0] === 'serve') {
    const { serveOrExplain, stopOnSignals } = await import('../main.js');
    const r = await serveOrExplain(config, io.err, overrides);
    if ('exitCode' in r) return r.exitCode;
    stopOnSignals(r.server);
    await new Promise(() => {}); // runs until a signal stops it
    return 0;
  }
  let services: Awaited<ReturnType<typeof buildServices>>;
  try {
    // A command's own output reports its outcome; unless LOG_LEVEL says otherwise, only warnings log.
    services = await buildServices(config, { logger: createLogger(config.logLevel ?? 'warn'), ...overrides });
  } catch (err) {
    // An unusable DATABASE_PATH is configuration: one line, no stack, and the EX_CONFIG exit code.
    if (isAppError(err, 'database_unusable')) {
      io.err(`${err.message}\n`);
      return EXIT_CONFIG;
    }
    throw err;
  }
  try {
    if (words[0] === 'mcp') {
      // stdout belongs to the protocol from here on; everything else goes to stderr.
      const { serveMcpStdio } = await import('../mcp/serve-mcp-stdio.js');
      await serveMcpStdio(services);
      return 0;
    }
    if (words[0] === 'migrate') {
      const applied = await services.sql.migrate();
      const version = await services.sql.schemaVersion();
      io.out(
        json
          ? `${JSON.stringify({ applied, schemaVersion: version })}\n`
          : `Database ${(await services.sql.size()).where} at schema v${version}.\n`,
      );
      return 0;
    }
    const parsed = parseWords(words);
    const channelId = typeof parsed.flags.channel === 'string' ? parsed.flags.channel : undefined;
    const teamFlag = typeof parsed.flags.team === 'string' ? parsed.flags.team : undefined;
    const option = (name: string) => (w: string, i: number) =>
      w === `--${name}` || words[i - 1] === `--${name}` || w.startsWith(`--${name}=`);
    const rest = words.filter((w, i) => !option('channel')(w, i) && !option('team')(w, i));
    let slack: Pick<CommandContext, 'sink' | 'watchSink' | 'watchServed' | 'watchSinkFor' | 'teamId'> = {};
    if (isMultiWorkspace(config)) {
      const teamNeutral = TEAM_NEUTRAL.has((rest[0] ?? '').toLowerCase());
      const r = await workspaceSinks(config, services, { channelId, teamFlag, teamNeutral });
      if ('error' in r) {
        io.err(`${r.error}\n`);
        return 1;
      }
      slack = r;
    } else if (config.slack.botToken) {
      const sink = createSlackSink(createWebClient(config.slack.botToken, config.slack.apiUrl));
      slack = { sink, watchSink: sink };
    }
    const sink = slack.sink ?? createTerminalSink(io.out);
    const actor = { id: 'operator', isAdmin: async () => true };
    const reply = await runCommand({ services, actor, surface: 'cli', channelId, ...slack, sink }, rest);
    if (reply.chart) {
      const file = parsed.flags.chart;
      if (typeof file !== 'string') {
        io.err('On the command line a chart goes to a file: add --chart <file.png>.\n');
        return 1;
      }
      await writeFile(file, reply.chart.png);
      io.err(
        `Chart written to ${file} (${reply.chart.width}×${reply.chart.height} PNG). Alt text: ${reply.chart.altText}\n`,
      );
    }
    if (json) io.out(`${JSON.stringify(reply.json ?? { text: reply.text }, null, 2)}\n`);
    else (reply.exitCode ? io.err : io.out)(`${reply.text}\n`);
    return reply.exitCode ?? 0;
  } catch (err) {
    // OAuth distribution without SECRETS_KEY: configuration, reported like an unusable database.
    if (isAppError(err, 'secrets_key_missing')) {
      io.err(`${err.message}\n`);
      return EXIT_CONFIG;
    }
    throw err;
  } finally {
    await services.close();
  }
}

/** Commands that read or change nothing a workspace owns: they need no `--team` however many are installed. */
const TEAM_NEUTRAL = new Set(['poll', 'prune', 'stats', 'help', 'models', 'share', '']);

const teamList = (teams: InstalledTeam[]) =>
  teams.map((t) => (t.teamName ? `${t.teamId} (${t.teamName})` : t.teamId)).join(', ');

/**
 * With OAuth distribution the CLI acts for one workspace — its feeds, channels, rules, audit — and posts
 * as its bot: `--team T…`, or the only installed one. With several installed, a command about a
 * workspace's data needs `--team` (the message lists them); team-neutral commands (poll, stats…) do not.
 * With none installed, commands act on the default team (data from before tenancy) and post nowhere.
 * Watch posts after `poll` go to each channel's own workspace.
 */
async function workspaceSinks(
  config: Config,
  services: Awaited<ReturnType<typeof buildServices>>,
  o: { channelId?: string; teamFlag?: string; teamNeutral: boolean },
): Promise<Pick<CommandContext, 'sink' | 'watchSink' | 'watchServed' | 'watchSinkFor' | 'teamId'> | { error: string }> {
  const oauth = config.slack.oauth as NonNullable<Config['slack']['oauth']>;
  const ws = openInstalledWorkspaces(services, {
    ...oauth,
    secretsKey: requireSecretsKey(config),
    apiUrl: config.slack.apiUrl,
  });
  const routing = { watchSink: ws.sink, watchServed: ws.served, watchSinkFor: ws.sinkFor };
  const teams = await services.installations.listTeams();
  if (o.teamFlag) {
    if (!teams.some((t) => t.teamId === o.teamFlag))
      return {
        error: `Workspace ${o.teamFlag} has not installed the app.${teams.length > 0 ? ` Installed: ${teamList(teams)}.` : ''}`,
      };
    return { ...routing, teamId: o.teamFlag, sink: ws.sinkFor(o.teamFlag) };
  }
  if (teams.length === 0) {
    if (!o.channelId) return routing;
    return { error: 'No workspace has installed the app yet: open /slack/install on the server to add it to one.' };
  }
  if (teams.length > 1) {
    if (o.teamNeutral && !o.channelId) return routing;
    return {
      error: `The app is installed in ${teams.length} workspaces: ${teamList(teams)}. Pick one with --team T…`,
    };
  }
  const only = (teams[0] as InstalledTeam).teamId;
  return { ...routing, teamId: only, sink: ws.sinkFor(only) };
}
