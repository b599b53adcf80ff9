import { DEFAULT_TEAM } from '../core/team.js';
import type { CommandContext } from './types.js';

/**
 * The team whose data a command reads and changes. Front ends set `teamId` only where it decides
 * ownership (OAuth distribution, or the CLI's `--team`); otherwise it is the default team.
 */
export function teamOf(ctx: Pick<CommandContext, 'teamId'>): string {
  return ctx.teamId ?? DEFAULT_TEAM;
}
