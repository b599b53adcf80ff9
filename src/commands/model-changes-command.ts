import type { ModelChange } from '../store/model-list-repository.js';
import { windowDays } from './trends-command.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

type Price = { prompt: number | null; completion: number | null };
const money = (n: number | null) => (n === null ? '?' : n === 0 ? 'free' : `$${n.toFixed(2)}`);
const price = (p: unknown) => {
  const x = (p ?? {}) as Price;
  return `${money(x.prompt ?? null)}/${money(x.completion ?? null)}`;
};
const ctxLen = (n: unknown) =>
  typeof n === 'number' ? (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n)) : 'unknown';

/** One change as a line: what changed, from what to what. */
export function changeLine(c: ModelChange): string {
  switch (c.kind) {
    case 'new':
      return `${c.model}: listed (${String(c.after)})`;
    case 'removed':
      return `${c.model}: removed from the list (was ${String(c.before)})`;
    case 'price':
      return `${c.model}: price ${price(c.before)} → ${price(c.after)} per million tokens (input/output)`;
    case 'context':
      return `${c.model}: context ${ctxLen(c.before)} → ${ctxLen(c.after)} tokens`;
    case 'deprecation':
      return c.after
        ? `${c.model}: deprecation date ${c.before ? `moved ${String(c.before)} → ` : 'set: '}${String(c.after)}`
        : `${c.model}: deprecation date ${String(c.before)} withdrawn`;
    case 'openness':
      return c.after
        ? `${c.model}: open weights listed on Hugging Face (${String(c.after)})`
        : `${c.model}: open weights no longer listed (was ${String(c.before)})`;
  }
}

/** Changes recorded in the last `days`, newest first. */
export function changesInWindow(ctx: CommandContext, days: number): ModelChange[] {
  const now = ctx.services.clock.now();
  return ctx.services.modelList.changesBetween(
    new Date(now.getTime() - days * 86_400_000),
    new Date(now.getTime() + 1),
  );
}

/** `models changes [7d|30d]`: new, removed, price, context, deprecation and openness changes in the model list. */
export async function modelChangesCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const days = windowDays(p);
  const changes = changesInWindow(ctx, days);
  const text =
    changes.length === 0
      ? `No model-list changes in the last ${days} days (the first read of the list is a baseline).`
      : [
          `${changes.length} model-list change${changes.length === 1 ? '' : 's'} in the last ${days} days:`,
          ...changes.map((c) => `  • ${c.at.slice(0, 16).replace('T', ' ')}  ${changeLine(c)}`),
        ].join('\n');
  return {
    text,
    json: {
      changes: changes.map((c) => ({ model: c.model, kind: c.kind, before: c.before, after: c.after, at: c.at })),
    },
  };
}
