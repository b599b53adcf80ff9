import { AppError } from '../core/errors.js';
import { parseDuration, truncate } from './format.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** `stories [--since 24h]`: stories with their sources, summary and how it was summarized. */
export async function storiesCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const sinceText = typeof p.flags.since === 'string' ? p.flags.since : (p.args[0] ?? '24h');
  const ms = parseDuration(sinceText);
  if (ms === null) throw new AppError('usage', `"${sinceText}" is not a duration; use e.g. 24h, 7d or 90m`);
  const s = ctx.services;
  const since = new Date(s.clock.now().getTime() - ms);
  const stories = s.stories.listSince(since, 200);
  const detailed = stories.map((st) => ({
    id: st.id,
    title: st.title,
    publishedAt: st.publishedAt,
    summary: st.summary,
    summarySource: st.summarySource,
    summaryReason: st.summaryReason,
    summaryModel: st.summaryModel,
    sources: s.stories
      .sources(st.id)
      .map((x) => ({ title: x.title, url: x.url, feed: x.feedTitle, publishedAt: x.publishedAt })),
  }));
  if (detailed.length === 0)
    return { text: `No stories in the last ${sinceText}.`, json: { since: since.toISOString(), stories: [] } };
  const text = detailed
    .map((st) => {
      const how =
        st.summarySource === 'model'
          ? `model ${st.summaryModel ?? ''}`.trim()
          : st.summarySource === 'fallback'
            ? `offline (model failed: ${st.summaryReason})`
            : (st.summarySource ?? 'not yet summarized');
      const sources = st.sources
        .map((x) => `    – ${x.feed ?? 'feed'}: ${truncate(x.title, 90)}${x.url ? ` ${x.url}` : ''}`)
        .join('\n');
      return `#${st.id} ${st.title}\n  ${st.summary ?? '(no summary yet)'}\n  [${how}] ${st.sources.length} source${st.sources.length === 1 ? '' : 's'}:\n${sources}`;
    })
    .join('\n\n');
  return {
    text: `${detailed.length} stories since ${sinceText} ago:\n\n${text}`,
    json: { since: since.toISOString(), stories: detailed },
  };
}
