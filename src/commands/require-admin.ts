import { AppError } from '../core/errors.js';
import { teamOf } from './command-team.js';
import type { CommandContext } from './types.js';

/** Throws a clear refusal unless the actor is an admin; nothing has changed when it throws. */
export async function requireAdmin(ctx: CommandContext, what: string): Promise<void> {
  if (await ctx.actor.isAdmin()) return;
  throw new AppError(
    'forbidden',
    `Only admins can ${what}. Ask a workspace admin, or someone listed in ADMIN_USER_IDS.`,
  );
}

/** Writes an admin change to the audit log. */
export async function audit(ctx: CommandContext, action: string, detail: Record<string, unknown>): Promise<void> {
  await ctx.services.audit.record(
    `${ctx.surface}:${ctx.actor.id}`,
    action,
    detail,
    ctx.services.clock.now(),
    teamOf(ctx),
  );
}
