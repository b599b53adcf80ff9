import { answerQuestion } from '../ask/answer-question.js';
import { AppError } from '../core/errors.js';
import { mrkdwnLink } from '../digest/escape-mrkdwn.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** `ask <question>`: a grounded answer with numbered citations, or the archive's plain "nothing on this". */
export async function askCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const question = p.args.join(' ').trim();
  if (!question) throw new AppError('usage', 'Usage: ask <question>, e.g. `ask what did DeepSeek release this week?`');
  const channel = ctx.channelId ? ctx.services.channels.get(ctx.channelId) : undefined;
  const a = await answerQuestion(ctx.services, question, { language: channel?.language ?? undefined });
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
