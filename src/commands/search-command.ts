import { AppError } from '../core/errors.js';
import { truncate } from './format.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** Turns free text into a safe FTS5 query: every word quoted, prefix-matched, all required. */
export function toFtsQuery(text: string): string {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}][\p{L}\p{N}._-]*/gu) ?? [];
  return words.map((w) => `"${w.replace(/"/g, '')}"*`).join(' ');
}

/** `search <query>`: matching items, best first. */
export async function searchCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const query = p.args.join(' ').trim();
  if (!query) throw new AppError('usage', 'Usage: search <words>, e.g. `search deepseek v4`');
  const fts = toFtsQuery(query);
  const items = fts ? ctx.services.items.search(fts, 10) : [];
  if (items.length === 0)
    return { text: `Nothing stored matches "${truncate(query, 80)}".`, json: { query, results: [] } };
  const lines = items.map(
    (i) => `• ${truncate(i.title, 120)} (${i.publishedAt.slice(0, 10)})${i.url ? ` ${i.url}` : ''}`,
  );
  return {
    text: `${items.length} results for "${truncate(query, 80)}":\n${lines.join('\n')}`,
    json: { query, results: items.map((i) => ({ id: i.id, title: i.title, url: i.url, publishedAt: i.publishedAt })) },
  };
}
