import { teamOf } from './command-team.js';
import { requireAdmin } from './require-admin.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** `audit [N]` (admin): the most recent admin changes, newest first. */
export async function auditCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  await requireAdmin(ctx, 'read the audit log');
  const n = Math.min(100, Math.max(1, Number(p.args[0]) || 20));
  const entries = await ctx.services.audit.list(n, teamOf(ctx));
  if (entries.length === 0) return { text: 'No admin changes yet.', json: { entries } };
  const lines = entries.map(
    (e) => `${e.at.slice(0, 16).replace('T', ' ')}  ${e.actor}  ${e.action}  ${JSON.stringify(e.detail)}`,
  );
  return { text: `Last ${entries.length} admin changes:\n${lines.join('\n')}`, json: { entries } };
}
