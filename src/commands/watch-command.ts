import { AppError } from '../core/errors.js';
import type { WatchRule } from '../store/watch-repository.js';
import { labResolver } from '../watch/channel-rules.js';
import { modelChangeSource } from '../watch/model-change-source.js';
import { parseWatchRule } from '../watch/parse-watch-rule.js';
import { WATCH_CAP_PER_HOUR, WATCH_UPDATE_EVERY_MS } from '../watch/run-watches.js';
import { teamOf } from './command-team.js';
import { ago } from './format.js';
import { audit, requireAdmin } from './require-admin.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

const USAGE =
  'Usage: watch | watch add <topics…> | watch remove <id>, e.g. `watch add lab:moonshot` or `watch add kind:release origin:CN -lab:meta`';
const HOW = `New matching stories are posted here at once, once per story; later sources go in one threaded reply at most every ${WATCH_UPDATE_EVERY_MS / 3_600_000} h; at most ${WATCH_CAP_PER_HOUR} posts an hour (the rest folded into one).`;
const NO_CHANGES =
  'kind:change needs the built-in model list, which is off (OPENROUTER_MODELS_URL=off): the rule is kept and starts matching once it is on.';

const usesChanges = (r: WatchRule) => /(^|[\s,])kind:change\b/i.test(r.topics);

function needChannel(ctx: CommandContext): string {
  if (!ctx.channelId) throw new AppError('usage', 'Run this in a channel, or pass --channel C0123 on the command line');
  return ctx.channelId;
}

function ruleLine(r: WatchRule, now: Date, withChannel: boolean): string {
  return `  #${r.id} ${withChannel ? `${r.channelId} ` : ''}${r.topics} — added ${ago(r.createdAt, now)} by ${r.createdBy}`;
}

/** `watch`: this channel's rules (every channel's on the command line without --channel). */
async function listRules(ctx: CommandContext): Promise<Reply> {
  const s = ctx.services;
  const now = s.clock.now();
  const team = teamOf(ctx);
  // Without a channel (CLI): every channel of this team, never another team's.
  const rules = ctx.channelId
    ? await s.watch.rules(ctx.channelId, team)
    : (await s.watch.rules()).filter((r) => r.teamId === team);
  const changeTracking = modelChangeSource(s) !== null;
  const failure = ctx.channelId ? await s.watch.lastFailure(ctx.channelId, team) : undefined;
  const where = ctx.channelId ?? 'every channel';
  const lines =
    rules.length === 0
      ? [`No watch rules for ${where}. \`watch add lab:deepseek\` posts each new DeepSeek story here as it happens.`]
      : [`Watch rules for ${where} (${rules.length}):`, ...rules.map((r) => ruleLine(r, now, !ctx.channelId)), HOW];
  if (!changeTracking && rules.some(usesChanges)) lines.push(`Note: ${NO_CHANGES}`);
  if (failure) lines.push(`Last post failed ${ago(failure.at, now)}: ${failure.error}`);
  return {
    text: lines.join('\n'),
    json: {
      channel: ctx.channelId ?? null,
      rules,
      changeTracking,
      capPerHour: WATCH_CAP_PER_HOUR,
      updateEveryHours: WATCH_UPDATE_EVERY_MS / 3_600_000,
      lastFailure: failure ?? null,
    },
  };
}

/** `watch add <topics…>` (admin): the topic words of `subscribe`, plus `kind:release` and `kind:change`. */
async function addRule(ctx: CommandContext, words: string[]): Promise<Reply> {
  const channelId = needChannel(ctx);
  await requireAdmin(ctx, 'add watch rules');
  const s = ctx.services;
  const topics = words.join(' ').replace(/\s+/g, ' ').trim();
  if (!topics) throw new AppError('usage', USAGE);
  parseWatchRule(topics, labResolver(s));
  const rule = await s.watch.addRule(channelId, teamOf(ctx), topics, `${ctx.surface}:${ctx.actor.id}`, s.clock.now());
  await audit(ctx, 'watch.add', { channel: channelId, id: rule.id, topics });
  const note = usesChanges(rule) && modelChangeSource(s) === null ? `\nNote: ${NO_CHANGES}` : '';
  return {
    text: `Watch #${rule.id} added for ${channelId}: ${topics}\n${HOW}${note}`,
    json: { rule, changeTracking: modelChangeSource(s) !== null },
    visibility: 'in_channel',
  };
}

/** `watch remove <id>` (admin): in Slack, only a rule of the channel it is run in. */
async function removeRule(ctx: CommandContext, word: string | undefined): Promise<Reply> {
  await requireAdmin(ctx, 'remove watch rules');
  const s = ctx.services;
  const id = Number((word ?? '').replace(/^#/, ''));
  if (!Number.isInteger(id) || id <= 0) throw new AppError('usage', 'Usage: watch remove <id>; `watch` lists the ids');
  const rule = await s.watch.rule(id, teamOf(ctx));
  if (!rule) throw new AppError('not_found', `There is no watch #${id}; \`watch\` lists this channel's rules`);
  if (ctx.channelId && rule.channelId !== ctx.channelId)
    throw new AppError('usage', `Watch #${id} belongs to ${rule.channelId}; remove it there`);
  await s.watch.removeRule(id, teamOf(ctx));
  await audit(ctx, 'watch.remove', { channel: rule.channelId, id, topics: rule.topics });
  return {
    text: `Removed watch #${id} (${rule.topics}) from ${rule.channelId}.`,
    json: { removed: rule },
    visibility: 'in_channel',
  };
}

/** `watch [add <topics…> | remove <id>]`: instant posts to a channel for matching stories; admins change them. */
export async function watchCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const [sub, ...rest] = p.args;
  switch (sub?.toLowerCase()) {
    case undefined:
    case 'list':
      return listRules(ctx);
    case 'add':
      return addRule(ctx, rest);
    case 'remove':
    case 'rm':
    case 'delete':
      return removeRule(ctx, rest[0]);
    default:
      throw new AppError('usage', USAGE);
  }
}
