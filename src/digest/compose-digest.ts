import { AUTHORS, type Services } from '../compose.js';
import { summarizeInLanguage } from '../ingest/summarize-stories.js';
import { loadUsageShare } from '../share/load-usage-share.js';
import { sharePulseLine } from '../share/render-share.js';
import type { Tag } from '../store/entity-repository.js';
import type { Story, StorySource } from '../store/story-repository.js';
import { computeTrends, type TrendRow } from '../trends/compute-trends.js';
import { arrow } from '../trends/render-trends.js';
import { bySignificance, describeModelChange } from './describe-model-change.js';
import { formatMoment, type Labels, labelsFor } from './labels.js';
import { onePerFeed } from './one-per-feed.js';
import { parseTopics, passesTopics } from './topics.js';

/** One story as a digest shows it. */
export interface DigestStory {
  id: number;
  title: string;
  url: string | null;
  summary: string;
  summarySource: 'model' | 'offline' | 'fallback' | null;
  /** The summary's language, named in the digest's language ("Chinese"), when it is not the digest's; else null. */
  originalLanguage: string | null;
  sources: { title: string; url: string | null; feed: string | null }[];
  labs: string[];
  publishedAt: string;
  score: number;
  /** True when a watch rule already posted this story to the digest's channel. */
  watched?: boolean;
}

/** A new model in the digest's window. */
export interface DigestModel {
  name: string;
  lab: string | null;
  origin: string;
  openness: string;
  url: string | null;
}

/** A model-list change in the digest's window (new listings are under "New models" instead). */
export interface DigestChange {
  model: string;
  kind: string;
  text: string;
}

/** How many model-list changes a digest shows; the rest are counted and left to `models changes`. */
export const MAX_DIGEST_CHANGES = 8;

/** A platform-neutral digest: every renderer (Block Kit, text, Markdown, JSON) works from this. */
export interface Digest {
  channelId: string | null;
  language: string;
  timeZone: string;
  labels: Labels;
  from: string;
  to: string;
  windowText: string;
  stories: DigestStory[];
  more: number;
  newModels: DigestModel[];
  /** Model-list changes, most significant first, at most MAX_DIGEST_CHANGES. */
  modelChanges?: DigestChange[];
  moreChanges?: number;
  pulse: string;
  /** The week's Chinese share of open-model tokens and its change, with the credit line; empty without data. */
  usagePulse?: string;
  model: string;
  tokens: number;
  quiet: boolean;
}

export interface DigestOptions {
  channelId?: string | null;
  from: Date;
  to: Date;
  language?: string;
  timeZone?: string;
  topics?: string;
  limit?: number;
  /** The team the digest is for: only stories it can see, its channel's votes and watch posts. All stories when absent. */
  team?: string;
}

/** How much a story deserves a place: independent sources, freshness, model news, the channel's votes. */
export function rankScore(story: Story, tags: Tag[], now: Date, votes: number, labAffinity: number): number {
  const ageHours = Math.max(0, (now.getTime() - Date.parse(story.publishedAt)) / 3_600_000);
  const sources = 3 * Math.log2(1 + story.sourceCount);
  const recency = 2 * Math.exp(-ageHours / 24);
  const release = tags.some((t) => t.kind === 'version') ? 1.5 : 0;
  return sources + recency + release + votes + Math.max(-2, Math.min(2, labAffinity * 0.25));
}

function pulseFrom(rows: TrendRow[], names: Record<string, string>): string {
  return rows
    .filter((r) => r.stories > 0)
    .slice(0, 4)
    .map((r) => {
      const a = arrow(r);
      return `${names[r.key] ?? r.name} ${Math.round(r.share * 100)}%${a === '=' ? '' : ` ${a.replace(' pts', '')}`}`;
    })
    .join(' · ');
}

/**
 * Builds the digest for a channel and window: the best stories (topic-filtered, ranked, summaries in
 * the channel's language when a model can write them), the new models, the ecosystem pulse and a footer.
 */
export async function composeDigest(s: Services, o: DigestOptions): Promise<Digest> {
  const language = o.language ?? s.config.digestLanguage;
  const timeZone = o.timeZone ?? s.config.defaultTimezone;
  const labels = labelsFor(language);
  const now = s.clock.now();
  const channelId = o.channelId ?? null;
  const terms = parseTopics(o.topics ?? '', (w) => s.matcher.match(w, 'AI model').labs[0]);
  const publishedSince = new Date(o.from.getTime() - 2 * 86_400_000);
  // Model-list entries alone go to "New models", not top stories.
  const candidates: Story[] = [];
  for (const story of await s.stories.firstSeenBetween(o.from, o.to, publishedSince, 1000, o.team))
    if (!(await s.releases.releaseOnly(story.id))) candidates.push(story);
  const labAffinity = channelId ? await s.feedback.labScores(channelId, o.team) : new Map<string, number>();
  const ranked: { story: Story; tags: Tag[]; score: number }[] = [];
  for (const story of candidates) {
    const tags = await s.entities.tagsOf(story.id);
    if (!passesTopics(terms, tags, `${story.title}\n${story.summary ?? ''}`)) continue;
    const votes = channelId ? await s.feedback.scoreOf(channelId, story.id, o.team) : 0;
    const affinity = tags.filter((t) => t.kind === 'lab').reduce((n, t) => n + (labAffinity.get(t.key) ?? 0), 0);
    ranked.push({ story, tags, score: rankScore(story, tags, now, votes, affinity) });
  }
  ranked.sort((a, b) => b.score - a.score || b.story.publishedAt.localeCompare(a.story.publishedAt));
  const limit = o.limit ?? 10;
  const top = ranked.slice(0, limit);
  const translated = s.chat
    ? await summarizeInLanguage(
        s,
        top.map((x) => x.story).filter((st) => st.summarySource === 'model' && st.summaryLanguage !== language),
        language,
      )
    : new Map<number, string>();
  const watched = channelId
    ? await s.watch.announcedIn(
        channelId,
        top.map((x) => x.story.id),
        o.team,
      )
    : new Set<number>();
  const stories: DigestStory[] = [];
  for (const { story, tags, score } of top) {
    const sources: StorySource[] = [];
    for (const src of await s.stories.sources(story.id, 100, o.team))
      if ((await s.releases.forItem(src.itemId)) === undefined) sources.push(src);
    const summary = translated.get(story.id) ?? story.summary ?? sources[0]?.text.slice(0, 300) ?? '';
    const summaryLanguage = translated.has(story.id) ? language : story.summaryLanguage;
    stories.push({
      id: story.id,
      title: story.title,
      url: sources.find((x) => x.url)?.url ?? null,
      summary,
      summarySource: story.summarySource,
      originalLanguage: otherLanguage(summaryLanguage, language),
      sources: onePerFeed(sources).map((x) => ({ title: x.title, url: x.url, feed: x.feedTitle })),
      labs: tags.filter((t) => t.kind === 'lab').map((t) => t.name),
      publishedAt: story.publishedAt,
      score: Math.round(score * 100) / 100,
      ...(watched.has(story.id) ? { watched: true } : {}),
    });
  }
  const newModels: DigestModel[] = (await s.releases.between(o.from, o.to))
    .filter((r) => {
      const tags: Tag[] = [
        ...(r.labId ? [{ kind: 'lab' as const, key: r.labId, name: r.labId }] : []),
        ...(r.origin ? [{ kind: 'origin' as const, key: r.origin, name: r.origin }] : []),
        ...(r.openness ? [{ kind: 'openness' as const, key: r.openness, name: r.openness }] : []),
      ];
      return passesTopics(terms, tags, r.name);
    })
    .map((r) => ({
      name: r.name,
      lab: r.labId ? (s.matcher.lab(r.labId)?.name ?? r.labId) : null,
      origin: labels.origin[r.origin ?? 'unknown'] ?? r.origin ?? '',
      openness: labels.openness[r.openness ?? 'closed'] ?? r.openness ?? '',
      url: r.url,
    }));
  const changes = (await s.modelList.changesBetween(o.from, o.to))
    .filter((c) => c.kind !== 'new')
    .filter((c) => {
      const labId = AUTHORS.get(c.model.split('/')[0] ?? '');
      const lab = labId ? s.matcher.lab(labId) : undefined;
      const tags: Tag[] = lab ? [{ kind: 'lab', key: lab.id, name: lab.name }] : [];
      return passesTopics(terms, tags, c.model);
    })
    .sort(bySignificance);
  const share = await loadUsageShare(s, 7);
  const trends = await computeTrends(
    s.entities,
    now,
    7,
    async (f, t) => await s.stories.publishedBetween(f, t, o.team),
  );
  const pulse =
    trends.stories > 0
      ? `${pulseFrom(trends.origins, labels.origin)}  |  ${pulseFrom(trends.openness, labels.openness)}`
      : '';
  const usage = await s.usage.totals(o.from, new Date(o.to.getTime() + 1));
  return {
    channelId,
    language,
    timeZone,
    labels,
    from: o.from.toISOString(),
    to: o.to.toISOString(),
    windowText: labels.window(formatMoment(o.from, language, timeZone), formatMoment(o.to, language, timeZone)),
    stories,
    more: Math.max(0, ranked.length - top.length),
    newModels,
    modelChanges: changes
      .slice(0, MAX_DIGEST_CHANGES)
      .map((c) => ({ model: c.model, kind: c.kind, text: describeModelChange(c) })),
    moreChanges: Math.max(0, changes.length - MAX_DIGEST_CHANGES),
    pulse,
    usagePulse: share ? sharePulseLine(share) : '',
    model: s.chat?.model ?? 'offline',
    tokens: usage.reduce((n, u) => n + u.promptTokens + u.completionTokens, 0),
    quiet: stories.length === 0 && newModels.length === 0 && changes.length === 0,
  };
}

/** A summary's language named in the digest's language ("chino"), or null when it is the digest's own. */
function otherLanguage(summaryLanguage: string | null, language: string): string | null {
  if (!summaryLanguage || summaryLanguage.toLowerCase().startsWith(language.slice(0, 2).toLowerCase())) return null;
  try {
    return new Intl.DisplayNames([language], { type: 'language' }).of(summaryLanguage) ?? summaryLanguage;
  } catch {
    return summaryLanguage;
  }
}
