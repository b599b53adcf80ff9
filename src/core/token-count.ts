/** More than any model's context window: a usage figure above it is a provider bug, capped here. */
export const MAX_TOKENS_PER_CALL = 10_000_000;

/**
 * A provider's token figure as a non-negative safe integer: missing, non-numeric, NaN or negative
 * values count as 0, fractions are floored and anything above MAX_TOKENS_PER_CALL is capped, so a
 * broken or hostile endpoint cannot make `usage` negative or switch the daily budget off.
 */
export function tokenCount(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(Math.floor(n), MAX_TOKENS_PER_CALL);
}
