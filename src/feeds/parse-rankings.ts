import { z } from 'zod';
import { AppError } from '../core/errors.js';

/** One row of OpenRouter's daily rankings: a model's tokens on one UTC day (`other` sums the long tail). */
export interface RankingRow {
  day: string;
  modelPermaslug: string;
  totalTokens: number;
}

/** A rankings response: the rows and the snapshot's meta (`asOf` must be cited with the numbers). */
export interface Rankings {
  rows: RankingRow[];
  meta: { asOf: string; startDate: string; endDate: string; version: string | null };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const row = z.object({
  date: z
    .string()
    .transform((d) => d.slice(0, 10))
    .pipe(z.string().regex(DAY)),
  model_permaslug: z.string().trim().min(1).max(300),
  total_tokens: z
    .union([z.string(), z.number()])
    .transform((v) => Number(v))
    .refine((n) => Number.isFinite(n) && n >= 0),
});
const body = z.object({
  data: z.array(z.unknown()),
  meta: z
    .object({
      as_of: z.union([z.string(), z.number()]).optional().nullable(),
      start_date: z.string().optional().nullable(),
      end_date: z.string().optional().nullable(),
      version: z.union([z.string(), z.number()]).optional().nullable(),
    })
    .optional()
    .nullable(),
});

/**
 * Parses `GET /api/v1/datasets/rankings-daily`. Malformed rows are skipped; a malformed document, or one
 * without `meta.as_of` (the citation needs it), is an error and nothing of it is stored.
 * @see https://openrouter.ai/docs/api/api-reference/datasets/get-rankings-daily
 */
export function parseRankings(text: string, requested: { startDate: string; endDate: string }): Rankings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('feed_parse', 'rankings: the response is not valid JSON');
  }
  const parsed = body.safeParse(raw);
  if (!parsed.success) throw new AppError('feed_parse', 'rankings: expected {"data": [...], "meta": {...}}');
  const meta = parsed.data.meta;
  if (meta?.as_of === undefined || meta.as_of === null || meta.as_of === '')
    throw new AppError('feed_parse', 'rankings: the response has no meta.as_of; nothing was stored');
  const rows: RankingRow[] = [];
  for (const entry of parsed.data.data) {
    const r = row.safeParse(entry);
    if (r.success)
      rows.push({ day: r.data.date, modelPermaslug: r.data.model_permaslug, totalTokens: r.data.total_tokens });
  }
  return {
    rows,
    meta: {
      asOf: String(meta.as_of),
      startDate: meta.start_date?.slice(0, 10) || requested.startDate,
      endDate: meta.end_date?.slice(0, 10) || requested.endDate,
      version: meta.version === undefined || meta.version === null ? null : String(meta.version),
    },
  };
}
