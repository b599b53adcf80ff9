import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { ParsedFeed, ParsedItem } from '../core/types.js';

const str = z.string().optional().catch(undefined);
const author = z.object({ name: str }).passthrough();
const item = z
  .object({
    id: z.union([z.string(), z.number()]).optional().catch(undefined),
    url: str,
    external_url: str,
    title: str,
    content_html: str,
    content_text: str,
    summary: str,
    date_published: str,
    date_modified: str,
    author: author.optional().catch(undefined),
    authors: z.array(author).optional().catch(undefined),
    tags: z.array(z.string()).optional().catch(undefined),
    language: str,
  })
  .passthrough();
const feed = z
  .object({
    // Real feeds carry the jsonfeed.org URL; some generators write a bare "1.0"/"1.1".
    version: z
      .string()
      .regex(/jsonfeed\.org\/version\/|^1(\.\d+)?$/)
      .optional(),
    title: str,
    home_page_url: str,
    language: str,
    items: z.array(z.unknown()),
  })
  .passthrough();

/** Parses JSON Feed 1.0 and 1.1; items that are not objects are skipped, not fatal. */
export function parseJsonFeed(text: string): ParsedFeed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new AppError('feed_parse', `feeds: not valid JSON (${(err as Error).message})`);
  }
  const parsed = feed.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      'feed_parse',
      'feeds: JSON document is not a JSON Feed (no jsonfeed.org version or no items list)',
    );
  const items: ParsedItem[] = [];
  for (const entry of parsed.data.items) {
    const r = item.safeParse(entry);
    if (!r.success) continue;
    const i = r.data;
    items.push({
      guid: i.id === undefined ? null : String(i.id),
      title: i.title ?? null,
      link: i.url ?? i.external_url ?? null,
      html: i.content_html ?? (i.content_text !== undefined ? escapeText(i.content_text) : (i.summary ?? null)),
      date: i.date_published ?? i.date_modified ?? null,
      author: i.authors?.[0]?.name ?? i.author?.name ?? null,
      categories: i.tags ?? [],
      language: i.language ?? null,
    });
  }
  return {
    format: 'json',
    title: parsed.data.title ?? null,
    link: parsed.data.home_page_url ?? null,
    language: parsed.data.language ?? null,
    items,
  };
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
}
