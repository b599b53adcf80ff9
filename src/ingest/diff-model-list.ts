import type { ListedModel } from '../feeds/parse-model-list.js';
import type { ModelChange, StoredModel } from '../store/model-list-repository.js';

export type NewChange = Omit<ModelChange, 'id' | 'at'>;

const samePrice = (a: number | null, b: number | null) =>
  a === b || (a !== null && b !== null && Math.abs(a - b) < 1e-9);

/**
 * What changed between the stored list and a new read: new and removed models, prompt/completion price
 * (USD per million tokens), context length, deprecation date (`expiration_date` set, changed or cleared)
 * and openness (a Hugging Face id appearing or disappearing). Pure; the order is the list's.
 */
export function diffModelList(previous: StoredModel[], current: ListedModel[]): NewChange[] {
  const before = new Map(previous.map((m) => [m.modelId, m]));
  const seen = new Set<string>();
  const out: NewChange[] = [];
  for (const m of current) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    const p = before.get(m.id);
    if (!p) {
      out.push({ model: m.id, kind: 'new', before: null, after: m.name });
      continue;
    }
    if (!samePrice(p.promptPrice, m.promptPrice) || !samePrice(p.completionPrice, m.completionPrice))
      out.push({
        model: m.id,
        kind: 'price',
        before: { prompt: p.promptPrice, completion: p.completionPrice },
        after: { prompt: m.promptPrice, completion: m.completionPrice },
      });
    if (p.contextLength !== m.contextLength)
      out.push({ model: m.id, kind: 'context', before: p.contextLength, after: m.contextLength });
    if (p.expirationDate !== m.expirationDate)
      out.push({ model: m.id, kind: 'deprecation', before: p.expirationDate, after: m.expirationDate });
    if (!p.huggingFaceId !== !m.huggingFaceId)
      out.push({ model: m.id, kind: 'openness', before: p.huggingFaceId, after: m.huggingFaceId });
  }
  for (const p of previous)
    if (!seen.has(p.modelId)) out.push({ model: p.modelId, kind: 'removed', before: p.name, after: null });
  return out;
}
