import { z } from 'zod';
import { AppError } from '../core/errors.js';

/** One model in OpenRouter's public list (`GET /api/v1/models`). */
export interface ListedModel {
  id: string;
  name: string;
  author: string;
  description: string;
  createdAt: string | null;
  contextLength: number | null;
  /** USD per million tokens. */
  promptPrice: number | null;
  completionPrice: number | null;
  huggingFaceId: string | null;
  /** Permanent slug (often date-stamped); the rankings' `model_permaslug` refers to it. */
  canonicalSlug: string | null;
  /** Deprecation date as the list gives it (YYYY-MM-DD), or null. */
  expirationDate: string | null;
}

const price = z
  .union([z.string(), z.number()])
  .optional()
  .nullable()
  .transform((v) => {
    const n = Number(v);
    return v === undefined || v === null || !Number.isFinite(n) || n < 0 ? null : Math.round(n * 1e6 * 1e4) / 1e4;
  });
const model = z.object({
  id: z.string().regex(/^[\w.-]+\/[\w.:-]+$/),
  name: z.string().optional(),
  created: z.number().optional().nullable(),
  description: z.string().optional().nullable(),
  context_length: z.number().optional().nullable(),
  pricing: z.object({ prompt: price, completion: price }).partial().optional().nullable(),
  hugging_face_id: z.string().optional().nullable(),
  canonical_slug: z.string().optional().nullable(),
  expiration_date: z.union([z.string(), z.number()]).optional().nullable(),
});

/** A deprecation date as YYYY-MM-DD (the list gives a date string; a Unix time is accepted too). */
function expiration(v: string | number | null | undefined): string | null {
  if (v === null || v === undefined || v === '') return null;
  const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  return Number.isNaN(d.getTime()) ? String(v).slice(0, 40) : d.toISOString().slice(0, 10);
}
const list = z.object({ data: z.array(z.unknown()) });

/** True when a JSON text looks like an OpenRouter-style model list. */
export function looksLikeModelList(text: string): boolean {
  const head = text.trimStart().slice(0, 400);
  return head.startsWith('{') && /"data"\s*:\s*\[/.test(head) && /"id"\s*:\s*"[\w.-]+\//.test(text.slice(0, 4000));
}

/** Parses a model list; malformed entries are skipped, a malformed document is an error. */
export function parseModelList(text: string): ListedModel[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('feed_parse', 'models: the model list is not valid JSON');
  }
  const parsed = list.safeParse(raw);
  if (!parsed.success)
    throw new AppError('feed_parse', 'models: expected {"data": [...]} from the model list endpoint');
  const out: ListedModel[] = [];
  for (const entry of parsed.data.data) {
    const r = model.safeParse(entry);
    if (!r.success) continue;
    const m = r.data;
    const author = m.id.split('/')[0] as string;
    out.push({
      id: m.id,
      name: (m.name ?? m.id).slice(0, 200),
      author,
      description: (m.description ?? '').slice(0, 2000),
      createdAt: m.created ? new Date(m.created * 1000).toISOString() : null,
      contextLength: m.context_length ?? null,
      promptPrice: m.pricing?.prompt ?? null,
      completionPrice: m.pricing?.completion ?? null,
      huggingFaceId: m.hugging_face_id?.trim() || null,
      canonicalSlug: m.canonical_slug?.trim() || null,
      expirationDate: expiration(m.expiration_date),
    });
  }
  return out;
}
