import { AppError, errorMessage } from '../core/errors.js';
import { pruneArchive } from '../ops/prune-archive.js';
import { storageProblem } from '../store/storage-problem.js';
import { askCommand } from './ask-command.js';
import { auditCommand } from './audit-command.js';
import { settingsCommand, subscribeCommand, unsubscribeCommand } from './channel-commands.js';
import { digestCommand } from './digest-command.js';
import { feedsCommand } from './feeds-command.js';
import { HELP, helpCommand } from './help-command.js';
import { modelsCommand } from './models-command.js';
import { parseWords } from './parse-words.js';
import { pollCommand } from './poll-command.js';
import { searchCommand } from './search-command.js';
import { shareCommand } from './share-command.js';
import { statsCommand } from './stats-command.js';
import { storiesCommand } from './stories-command.js';
import { trendsCommand } from './trends-command.js';
import type { CommandContext, Handler, Reply } from './types.js';
import { usageCommand } from './usage-command.js';
import { watchCommand } from './watch-command.js';

const HANDLERS: Record<string, Handler> = {
  help: helpCommand,
  feeds: feedsCommand,
  feed: feedsCommand,
  search: searchCommand,
  ask: askCommand,
  stats: statsCommand,
  stories: storiesCommand,
  trends: trendsCommand,
  models: modelsCommand,
  share: shareCommand,
  digest: digestCommand,
  subscribe: subscribeCommand,
  unsubscribe: unsubscribeCommand,
  settings: settingsCommand,
  audit: auditCommand,
  usage: usageCommand,
  watch: watchCommand,
};

/** True when the command core has a handler for this first word (front ends offer only what exists). */
export function hasCommand(word: string): boolean {
  return Object.hasOwn(HANDLERS, word.toLowerCase());
}

/** Commands that only the command line offers. */
const CLI_ONLY: Record<string, Handler> = {
  poll: pollCommand,
  prune: async (ctx) => {
    const r = await pruneArchive(ctx.services);
    return {
      text: `Removed ${r.stories} stories and ${r.items} items older than ${r.cutoff.slice(0, 10)}; ${r.pagesFreed} pages returned to the disk.`,
      json: r,
    };
  },
};

/**
 * Runs one command line of the /ai-news grammar. Expected failures (usage, refusals, bad feeds) come
 * back as a Reply with the reason and exitCode 1; unknown first words are searched, as the grammar says.
 */
export async function runCommand(ctx: CommandContext, input: string | string[]): Promise<Reply> {
  const parsed = parseWords(input);
  const [first, ...rest] = parsed.args;
  if (!first) return { ...(await helpCommand()), visibility: 'ephemeral' };
  const word = first.toLowerCase();
  const handler = HANDLERS[word] ?? (ctx.surface === 'cli' ? CLI_ONLY[word] : undefined);
  const timer = ctx.services.metrics.commandSeconds.startTimer({
    command: handler ? word : 'search',
    surface: ctx.surface,
  });
  try {
    if (handler) return await handler(ctx, { args: rest, flags: parsed.flags });
    if (CLI_ONLY[word]) return { text: `"${word}" runs on the command line only.\n${HELP}`, exitCode: 1 };
    return await searchCommand(ctx, parsed);
  } catch (caught) {
    // A full disk or a read-only database is the operator's to fix, told as such, not "went wrong".
    const err = storageProblem(caught) ?? caught;
    if (err instanceof AppError)
      return { text: err.message, json: { error: { code: err.code, message: err.message } }, exitCode: 1 };
    ctx.services.logger.error('commands: failed', { command: word, error: errorMessage(err) });
    return {
      text: `Something went wrong running "${word}": ${errorMessage(err)}`,
      json: { error: { code: 'internal', message: errorMessage(err) } },
      exitCode: 1,
    };
  } finally {
    timer();
  }
}
