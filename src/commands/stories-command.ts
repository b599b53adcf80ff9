import type { Services } from '../compose.js';
import { AppError } from '../core/errors.js';
import { onePerFeed } from '../digest/one-per-feed.js';
import type { Tag } from '../store/entity-repository.js';
import { teamOf } from './command-team.js';
import { parseWindow, truncate } from './format.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** The longest `--since` window: a year, past any sensible retention. @unit milliseconds */
const MAX_SINCE_MS = 366 * 86_400_000;

const REASONS: Record<string, string> = {
  new: 'first report',
  url: 'same link',
  'same-model': 'same model',
  'related-model': 'related model',
  similar: 'similar names and wording',
  entity: 'same model (before real-news clustering)',
};

/** A story's tags split into what it is about and what it only mentions, by kind. */
function tagSummary(tags: Tag[]) {
  const pick = (role: 'about' | 'mention', kind: Tag['kind']) =>
    tags.filter((t) => (t.role ?? 'about') === role && t.kind === kind).map((t) => t.key);
  const side = (role: 'about' | 'mention') => ({
    labs: pick(role, 'lab'),
    families: pick(role, 'family'),
    versions: pick(role, 'version'),
  });
  return {
    about: side('about'),
    mentions: side('mention'),
    origins: tags.filter((t) => t.kind === 'origin').map((t) => t.key),
    openness: tags.filter((t) => t.kind === 'openness').map((t) => t.key),
  };
}

/** A story the team can see, with the sources from its feeds (and the built-in sources) only. */
async function storyDetail(s: Services, id: number, team: string) {
  const st = await s.stories.get(id);
  if (!st || !(await s.stories.visibleTo(team, [st.id])).has(st.id)) return undefined;
  const sources = await s.stories.sources(st.id, 100, team);
  return {
    id: st.id,
    title: st.title,
    publishedAt: st.publishedAt,
    summary: st.summary,
    summarySource: st.summarySource,
    summaryReason: st.summaryReason,
    summaryModel: st.summaryModel,
    summaryLanguage: st.summaryLanguage,
    tags: tagSummary(await s.entities.allTagsOf(st.id)),
    // Distinct feeds; `sources` lists every report, several of which may come from one feed.
    sourceCount: onePerFeed(sources).length,
    sources: sources.map((x) => ({
      feedId: x.feedId,
      title: x.title,
      url: x.url,
      feed: x.feedTitle,
      publishedAt: x.publishedAt,
      language: x.language,
      joined: x.reason,
      why: x.detail,
    })),
  };
}

/** `stories --explain <id>`: why each report is in the story. */
async function explain(s: Services, raw: string, team: string): Promise<Reply> {
  const id = Number(raw.replace(/^#/, ''));
  const st = Number.isInteger(id) ? await storyDetail(s, id, team) : undefined;
  if (!st) throw new AppError('usage', `No story #${raw}. \`stories\` lists recent ones with their numbers.`);
  const moved = st.id !== id ? ` (story #${id} was merged into it)` : '';
  const lines = st.sources.map(
    (x, i) =>
      `  ${i + 1}. ${x.feed ?? 'feed'} (${x.language ?? '?'}, ${x.publishedAt.slice(0, 10)}): ${truncate(x.title, 80)}\n` +
      `     ${REASONS[x.joined] ?? x.joined}${x.why ? ` — ${x.why}` : ''}`,
  );
  const about = st.tags.about.labs.join(', ') || '—';
  const mentions = st.tags.mentions.labs.join(', ') || '—';
  return {
    text: `#${st.id} ${st.title}${moved}\n  about: ${about}; mentions: ${mentions}\n${lines.join('\n')}`,
    json: st,
  };
}

/** `stories [--since 24h] [--explain <id>]`: stories with their sources, tags, summary and how it was made. */
export async function storiesCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const s = ctx.services;
  if (p.flags.explain !== undefined) {
    const id = typeof p.flags.explain === 'string' ? p.flags.explain : p.args[0];
    if (!id) throw new AppError('usage', 'Say which story: `stories --explain 42`.');
    return explain(s, id, teamOf(ctx));
  }
  const sinceText = typeof p.flags.since === 'string' ? p.flags.since : (p.args[0] ?? '24h');
  const ms = parseWindow(sinceText, MAX_SINCE_MS, 'stories');
  if (ms === null) throw new AppError('usage', `"${sinceText}" is not a duration; use e.g. 24h, 7d or 90m`);
  const since = new Date(s.clock.now().getTime() - ms);
  const detailed = (
    await Promise.all(
      (await s.stories.listSince(since, 200, teamOf(ctx))).map((st) => storyDetail(s, st.id, teamOf(ctx))),
    )
  ).filter((x) => x !== undefined);
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
      // Sources are feeds: one line per feed, with how many of its reports the story holds.
      const feeds = onePerFeed(st.sources);
      const sources = feeds
        .map((x) => {
          const more = st.sources.filter((y) => y.feedId === x.feedId).length - 1;
          return `    – ${x.feed ?? 'feed'}: ${truncate(x.title, 90)}${x.url ? ` ${x.url}` : ''}${more > 0 ? ` (+${more} more from this feed)` : ''}`;
        })
        .join('\n');
      const labs = st.tags.about.labs.length ? ` · ${st.tags.about.labs.join(', ')}` : '';
      const items = st.sources.length > feeds.length ? ` (${st.sources.length} reports)` : '';
      return `#${st.id} ${st.title}\n  ${st.summary ?? '(no summary yet)'}\n  [${how}${labs}] ${feeds.length} source${feeds.length === 1 ? '' : 's'}${items}:\n${sources}`;
    })
    .join('\n\n');
  return {
    text: `${detailed.length} stories since ${sinceText} ago:\n\n${text}\n\n\`stories --explain <id>\` shows why each report joined its story.`,
    json: { since: since.toISOString(), stories: detailed },
  };
}
