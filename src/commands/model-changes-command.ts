import { describeModelChange } from '../digest/describe-model-change.js';
import type { ModelChange } from '../store/model-list-repository.js';
import { windowDays } from './trends-command.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** Changes recorded in the last `days`, newest first. */
export async function changesInWindow(ctx: CommandContext, days: number): Promise<ModelChange[]> {
  const now = ctx.services.clock.now();
  return await ctx.services.modelList.changesBetween(
    new Date(now.getTime() - days * 86_400_000),
    new Date(now.getTime() + 1),
  );
}

/** `models changes [7d|30d]`: new, removed, price, context, deprecation and openness changes in the model list. */
export async function modelChangesCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const days = windowDays(p);
  const changes = await changesInWindow(ctx, days);
  const text =
    changes.length === 0
      ? `No model-list changes in the last ${days} days (the first read of the list is a baseline).`
      : [
          `${changes.length} model-list change${changes.length === 1 ? '' : 's'} in the last ${days} days:`,
          ...changes.map((c) => `  • ${c.at.slice(0, 16).replace('T', ' ')}  ${describeModelChange(c)}`),
        ].join('\n');
  return {
    text,
    json: {
      changes: changes.map((c) => ({ model: c.model, kind: c.kind, before: c.before, after: c.after, at: c.at })),
    },
  };
}
