import { startOfUtcDay } from '../summarize/create-summarizer.js';
import { teamOf } from './command-team.js';
import type { CommandContext, Reply } from './types.js';

/** `usage`: model tokens today and over the last 7 days, by purpose: the team's questions and the shared summaries. */
export async function usageCommand(ctx: CommandContext): Promise<Reply> {
  const s = ctx.services;
  const now = s.clock.now();
  const end = new Date(now.getTime() + 1);
  const team = teamOf(ctx);
  const today = await s.usage.totals(startOfUtcDay(now), end, team);
  const week = await s.usage.totals(new Date(startOfUtcDay(now).getTime() - 6 * 86_400_000), end, team);
  const budget = s.config.llm.dailyTokenBudget;
  const spentToday = today.reduce((n, u) => n + u.promptTokens + u.completionTokens, 0);
  const line = (u: (typeof today)[number]) =>
    `  ${u.purpose}: ${u.calls} calls${u.failed ? ` (${u.failed} failed)` : ''}, ${u.promptTokens} prompt + ${u.completionTokens} completion tokens`;
  const model = s.chat?.model ?? null;
  const text = [
    model
      ? `Model: ${model}. Budget: ${spentToday} of ${budget} tokens used today (UTC).`
      : 'No model configured: summaries are made offline and cost no tokens.',
    `Today:${today.length ? `\n${today.map(line).join('\n')}` : ' no model calls'}`,
    `Last 7 days:${week.length ? `\n${week.map(line).join('\n')}` : ' no model calls'}`,
  ].join('\n');
  return { text, json: { model, budget, spentToday, today, last7Days: week } };
}
