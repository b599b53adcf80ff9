import type { Chart } from '../charts/chart-spec.js';
import type { Services } from '../compose.js';
import type { DigestSink } from '../digest/digest-sink.js';

/** Who runs a command. On the CLI the operator is an admin; in Slack it is checked per user. */
export interface Actor {
  id: string;
  isAdmin(): Promise<boolean>;
}

/** Everything a handler may use; the front end (CLI or Slack) fills it in. */
export interface CommandContext {
  services: Services;
  actor: Actor;
  channelId?: string;
  /**
   * The team (workspace) the command acts for: whose feeds, channels, rules, votes and audit it sees and
   * changes, and whose token posts. Set only with OAuth distribution (the requesting workspace) or by
   * the CLI's `--team`; absent means the default team (single-workspace mode). Read it with teamOf(ctx).
   */
  teamId?: string;
  surface: 'cli' | 'slack' | 'mcp';
  /** Where `digest now` posts: Slack, or the terminal on the CLI without Slack. */
  sink?: DigestSink;
  /** Where `poll` sends watch posts (Slack, when configured); without one a poll announces nothing. */
  watchSink?: DigestSink;
  /** Whether watch posts can reach a team (its workspace has the app installed); all can when absent. */
  watchServed?: (teamId: string) => Promise<boolean>;
  /** Each team's own sink for watch posts (many workspaces); `watchSink` for every team when absent. */
  watchSinkFor?: (teamId: string) => DigestSink;
}

/** Parsed command words: positional arguments and `--flag [value]` options. */
export interface ParsedArgs {
  args: string[];
  flags: Record<string, string | true>;
}

/** A platform-neutral answer: text for people, `json` for `--json`, visibility for Slack. */
export interface Reply {
  text: string;
  json?: unknown;
  visibility?: 'ephemeral' | 'in_channel';
  /** Block Kit blocks, when a richer Slack rendering exists. */
  blocks?: unknown[];
  /** A chart the user asked for (`chart` in Slack, `--chart file.png` on the CLI). */
  chart?: Chart;
  /** Non-zero marks a failed command on the CLI. */
  exitCode?: number;
}

export type Handler = (ctx: CommandContext, p: ParsedArgs) => Promise<Reply>;
