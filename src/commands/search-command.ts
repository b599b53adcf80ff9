import { parseQuery } from '../ask/parse-query.js';
import { searchStories } from '../ask/search-stories.js';
import { AppError } from '../core/errors.js';
import { teamOf } from './command-team.js';
import { truncate } from './format.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** `search <query>` (or any words): matching stories, newest first, with time and entity filters. */
export async function searchCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const query = p.args.join(' ').trim();
  if (!query)
    throw new AppError('usage', 'Usage: search <words>, e.g. `search deepseek v4` or `search open models this week`');
  const s = ctx.services;
  const hits = (
    await searchStories(s, parseQuery(query, s.matcher), { now: s.clock.now(), limit: 15, team: teamOf(ctx) })
  ).sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  const results = hits.map((h) => ({
    id: h.id,
    title: h.title,
    publishedAt: h.publishedAt,
    sources: h.sourceCount,
    summary: h.summary,
    url: h.url,
  }));
  if (hits.length === 0) {
    return {
      text: `Nothing stored matches "${truncate(query, 80)}". \`help\` lists what I can do.`,
      json: { query, results },
    };
  }
  const lines = hits.map(
    (h) =>
      `• ${truncate(h.title, 120)} (${h.publishedAt.slice(0, 10)}, ${h.sourceCount} source${h.sourceCount === 1 ? '' : 's'})${h.url ? ` ${h.url}` : ''}${h.summary ? `\n  ${truncate(h.summary, 160)}` : ''}`,
  );
  return {
    text: `${hits.length} stories for "${truncate(query, 80)}":\n${lines.join('\n')}`,
    json: { query, results },
  };
}
