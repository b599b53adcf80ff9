import { answerQuestion } from '../ask/answer-question.js';
import { AppError } from '../core/errors.js';
import { mrkdwnLink } from '../digest/escape-mrkdwn.js';
import { teamOf } from './command-team.js';
import { teamBucket } from './team-bucket.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** The longest question accepted on any surface (slash command, mention, CLI); it bounds prompt cost. */
export const ASK_MAX_CHARS = 1000;
const HOUR_MS = 3_600_000;

/** Refuses an over-long question, and a Slack user past ASK_RATE_LIMIT_PER_HOUR, with what to do instead. */
async function admitQuestion(ctx: CommandContext, question: string): Promise<void> {
  const length = [...question].length;
  if (length > ASK_MAX_CHARS)
    throw new AppError(
      'usage',
      `That question is ${length.toLocaleString('en-US')} characters long; questions are limited to ${ASK_MAX_CHARS.toLocaleString('en-US')}. Ask something shorter, or use \`search <words>\`.`,
    );
  // The command line is the operator's; the limit protects what Slack members share.
  if (ctx.surface === 'cli') return;
  const s = ctx.services;
  const limit = s.config.askPerUserPerHour;
  const now = s.clock.now();
  const claim = await s.rateLimits.tryTake(teamBucket(teamOf(ctx), `ask:${ctx.actor.id}`), limit, HOUR_MS, now);
  if (!claim.allowed) {
    const minutes = Math.max(1, Math.ceil((claim.retryAt.getTime() - now.getTime()) / 60_000));
    throw new AppError(
      'rate_limited',
      `You have asked ${limit} question${limit === 1 ? '' : 's'} in the last hour, the most one person may. Ask again in ${minutes} min; \`search <words>\` is not limited.`,
    );
  }
}

/**
 * `ask <question>`: a grounded answer with numbered citations, or the archive's plain "nothing on this".
 * In a channel, its language is the default and its topic words put matching stories first.
 */
export async function askCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const question = p.args.join(' ').trim();
  if (!question) throw new AppError('usage', 'Usage: ask <question>, e.g. `ask what did DeepSeek release this week?`');
  await admitQuestion(ctx, question);
  const team = teamOf(ctx);
  const channel = ctx.channelId ? await ctx.services.channels.get(ctx.channelId, team) : undefined;
  const a = await answerQuestion(ctx.services, question, {
    language: channel?.language ?? undefined,
    topics: channel?.topics || undefined,
    team,
  });
  const sources = a.citations.map((c) => `[${c.n}] ${c.title}${c.url ? ` — ${c.url}` : ''}`);
  const text = a.kind === 'nothing' ? a.text : `${a.text}\n\n${sources.join('\n')}`;
  const json = { question, ...a };
  if (ctx.surface !== 'slack' || a.kind === 'nothing') return { text, json };
  // In Slack the numbers link to their stories; everything else is escaped text.
  const { escapeMrkdwn } = await import('../digest/escape-mrkdwn.js');
  const linked = escapeMrkdwn(a.text).replace(/\[(\d+)\]/g, (m, n) => {
    const c = a.citations.find((x) => x.n === Number(n));
    return c?.url ? mrkdwnLink(c.url, `[${n}]`) : m;
  });
  const list = a.citations.map((c) => `${mrkdwnLink(c.url, `[${c.n}]`)} ${escapeMrkdwn(c.title)}`).join('\n');
  const blocks = [
    { type: 'section', text: { type: 'mrkdwn', text: linked.slice(0, 3000) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: list.slice(0, 3000) || ' ' }] },
  ];
  return { text, blocks, json };
}
