import type { ModelChange } from '../store/model-list-repository.js';

type Price = { prompt: number | null; completion: number | null };
const money = (n: number | null) => (n === null ? '?' : n === 0 ? 'free' : `$${n.toFixed(2)}`);
const price = (p: unknown) => {
  const x = (p ?? {}) as Partial<Price>;
  return `${money(x.prompt ?? null)}/${money(x.completion ?? null)}`;
};
const tokens = (n: unknown) =>
  typeof n === 'number' ? (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n)) : 'unknown';

/** One model-list change as a line of text: which model, what changed, from what to what. */
export function describeModelChange(c: Pick<ModelChange, 'model' | 'kind' | 'before' | 'after'>): string {
  switch (c.kind) {
    case 'new':
      return `${c.model}: listed (${String(c.after)})`;
    case 'removed':
      return `${c.model}: removed from the list (was ${String(c.before)})`;
    case 'price':
      return `${c.model}: price ${price(c.before)} → ${price(c.after)} per million tokens (input/output)`;
    case 'context':
      return `${c.model}: context ${tokens(c.before)} → ${tokens(c.after)} tokens`;
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

const RANK: Record<ModelChange['kind'], number> = {
  openness: 0,
  deprecation: 1,
  removed: 2,
  price: 3,
  context: 4,
  new: 5,
};

/** How big a price move is, relative to the old price (the larger of input and output). */
function priceMove(c: ModelChange): number {
  const b = (c.before ?? {}) as Partial<Price>;
  const a = (c.after ?? {}) as Partial<Price>;
  const rel = (x?: number | null, y?: number | null) => (x && y !== null && y !== undefined ? Math.abs(y - x) / x : 1);
  return Math.max(rel(b.prompt, a.prompt), rel(b.completion, a.completion));
}

/** Changes most significant first: weights opened or closed, deprecations, removals, then bigger price moves. */
export function bySignificance(a: ModelChange, b: ModelChange): number {
  return (
    RANK[a.kind] - RANK[b.kind] ||
    (a.kind === 'price' ? priceMove(b) - priceMove(a) : 0) ||
    b.at.localeCompare(a.at) ||
    a.model.localeCompare(b.model)
  );
}
