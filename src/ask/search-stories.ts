import type { Services } from '../compose.js';
import { searchQuery } from '../store/search-sql.js';
import { foldText } from '../stories/terms.js';
import type { ParsedQuery } from './parse-query.js';

/** One search result. */
export interface SearchHit {
  id: number;
  title: string;
  summary: string | null;
  publishedAt: string;
  sourceCount: number;
  url: string | null;
  /** Share of the query's content words the story contains, 0..1. */
  coverage: number;
  /** Relevance for ranking answers (higher is better). */
  score: number;
}

const OPEN_KEYS = ['open-weight', 'open-source', 'mixed'];

/**
 * Finds stories for a parsed query (with `team`, among the stories that team can see). Named labs and models select stories by their tags (so "Qwen"
 * finds 通义千问 and "Alibaba's Qwen"), words rank by BM25 over title, summary and sources (diacritics
 * folded), CJK text is matched by substring, and time, origin and openness filter. Only stories that
 * contain at least half of the query's content words are returned.
 */
export async function searchStories(
  s: Services,
  q: ParsedQuery,
  options: { now: Date; limit?: number; team?: string },
): Promise<SearchHit[]> {
  const db = s.sql;
  const since = q.sinceMs === null ? null : new Date(options.now.getTime() - q.sinceMs).toISOString();
  // A named version ("Llama 5") is the subject: only stories about that version qualify.
  const entityKeys =
    q.versions.length > 0
      ? q.versions.map((k) => ['version', k])
      : [...q.labs.map((k) => ['lab', k]), ...q.families.map((k) => ['family', k])];
  const hasEntity = entityKeys.length > 0;
  const contentFilters = q.origins.length > 0 || q.openness.length > 0;
  // Everything in one statement (see searchQuery), since on PostgreSQL a search is mostly its round trips:
  // each word's story count, the word search that fits them, the CJK and entity searches, and the stories
  // they select with their first sources' URLs. Which stories are read: the entities' stories when the
  // question names any; else the stories found; else, when only filters were asked ("open models this
  // month"), every story in the window.
  const query = searchQuery(db, {
    terms: q.terms,
    entities: entityKeys,
    since,
    runs: q.cjk,
    filters: contentFilters,
    // Tenancy: a team finds only stories it can see (an item from its feeds, or a built-in source).
    ...(options.team === undefined ? {} : { team: options.team }),
  });
  const rows = await db.all<{
    k: number;
    id: number;
    r: number | null;
    title: string;
    summary: string | null;
    published_at: string;
    source_count: number;
    fsrc: string | null;
    tags: string | null;
    url: string | null;
    hidden: number;
  }>(query.text, query.params);
  const frequency = new Map<string, number>();
  const rank = new Map<number, number>();
  const stories: typeof rows = [];
  // Rows come word hits first (r null when every known word was searched, unranked), then each CJK run's,
  // in order, then the stories, then the words with their story counts.
  for (const r of rows) {
    if (r.k === 0) rank.set(r.id, r.r ?? 1);
    else if (r.k < 9) rank.set(r.id, (rank.get(r.id) ?? 0) + 5);
    else if (r.k === 9) stories.push(r);
    else frequency.set(r.title, r.id);
  }
  // Words the archive has never seen cannot tell stories apart ("hizo", "came"); only known ones count.
  // (Words in a large share of stories still count for coverage; the statement did not rank by them.)
  const known = q.terms.filter((t) => (frequency.get(t) ?? 0) > 0);
  // Asked about something the archive does not have ("bitcoin today"): nothing, not everything from today.
  if (!hasEntity && q.terms.length > 0 && known.length === 0 && q.cjk.length === 0 && !contentFilters) return [];
  // Origin and openness select when they are the question ("open models from China"), else they rank.
  const hardFilters = !hasEntity && known.length === 0;
  const limit = options.limit ?? 10;
  const tags = new Map<number, { kind: string; key: string }[]>();
  for (const st of stories)
    if (st.tags)
      tags.set(
        st.id,
        (JSON.parse(st.tags) as [string, string][]).map(([kind, key]) => ({ kind, key })),
      );
  const maxRank = Math.max(1e-9, ...rank.values());
  const hits: SearchHit[] = [];
  const mustLookUp = new Set<number>();
  for (const st of stories) {
    if (since && st.published_at < since) continue;
    const t = tags.get(st.id) ?? [];
    const originOk = !q.origins.length || t.some((x) => x.kind === 'origin' && q.origins.includes(x.key));
    const wantOpen = q.openness.includes('open') && !q.openness.includes('closed');
    const wantClosed = q.openness.includes('closed') && !q.openness.includes('open');
    const opennessOk =
      (!wantOpen || t.some((x) => x.kind === 'openness' && OPEN_KEYS.includes(x.key))) &&
      (!wantClosed || t.some((x) => x.kind === 'openness' && x.key === 'closed'));
    if (hardFilters && !(originOk && opennessOk)) continue;
    const raw = `${st.title}\n${st.summary ?? ''}\n${st.fsrc ?? ''}`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII test needs the whole range
    const haystack = /^[\u0000-\u007f]*$/.test(raw) ? raw.toLowerCase() : foldText(raw);
    const found = known.filter((term) => haystack.includes(term)).length;
    const coverage = known.length === 0 ? 1 : found / known.length;
    const cjkHit = q.cjk.some((run) => haystack.includes(foldText(run)));
    // A named lab or model already says what the question is about; words then only rank.
    if (!hasEntity && coverage < 0.5 && !cjkHit) continue;
    const ageDays = Math.max(0, (options.now.getTime() - Date.parse(st.published_at)) / 86_400_000);
    const filterBoost = (originOk ? 0.5 : 0) + (opennessOk ? 0.5 : 0);
    const score =
      3 * coverage +
      2 * ((rank.get(st.id) ?? 0) / maxRank) +
      Math.log2(1 + st.source_count) +
      1 / (1 + ageDays / 7) +
      filterBoost;
    if (st.hidden === 1) mustLookUp.add(st.id);
    hits.push({
      id: st.id,
      title: st.title,
      summary: st.summary,
      publishedAt: st.published_at,
      sourceCount: st.source_count,
      url: st.hidden === 1 ? null : st.url,
      coverage,
      score,
    });
  }
  hits.sort((a, b) => b.score - a.score);
  const top = hits.slice(0, limit);
  // A story whose first source with a URL is from a feed the team does not read: the team's own first
  // source is looked up, for the hits returned only.
  const hidden = top.filter((h) => mustLookUp.has(h.id)).map((h) => h.id);
  if (hidden.length > 0) {
    const urls = await s.stories.firstSourceUrls(hidden, 100, options.team);
    for (const h of top) if (mustLookUp.has(h.id)) h.url = urls.get(h.id) ?? null;
  }
  return top;
}
