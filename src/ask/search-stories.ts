import type { Services } from '../compose.js';
import { ALWAYS_SELECTIVE, searchLookup, searchRanked, storySearch } from '../store/search-sql.js';
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
  // The archive's size, each word's story count and the entities' stories: one statement, since on
  // PostgreSQL a search is mostly its round trips.
  const lookup = searchLookup(db, q.terms, entityKeys, since);
  // The archive's size is read only when some word is in more than ALWAYS_SELECTIVE stories (null otherwise).
  let archiveSize: number | null = null;
  const frequency = new Map<string, number>();
  const entityRows: number[] = [];
  for (const r of (await db.all(lookup.text, lookup.params)) as {
    k: number;
    term: string | null;
    n: number | null;
  }[]) {
    if (r.k === 0) archiveSize = r.n;
    else if (r.k === 1) frequency.set(r.term as string, r.n as number);
    else entityRows.push(r.n as number);
  }
  const candidates = entityKeys.length > 0 ? new Set(entityRows) : null;
  // Words the archive has never seen cannot tell stories apart ("hizo", "came"); only known ones count.
  // Words in a large share of stories still count for coverage, but are not worth a ranked full scan:
  // a word is selective in at most max(ALWAYS_SELECTIVE, a tenth of the archive) stories.
  const total = Math.max(1, archiveSize ?? 0);
  const known = q.terms.filter((t) => (frequency.get(t) ?? 0) > 0);
  const selective = known.filter((t) => {
    const n = frequency.get(t) ?? 0;
    return n <= ALWAYS_SELECTIVE || (archiveSize !== null && n <= total * 0.1);
  });
  const hasEntity = entityKeys.length > 0;
  const contentFilters = q.origins.length > 0 || q.openness.length > 0;
  // Asked about something the archive does not have ("bitcoin today"): nothing, not everything from today.
  if (!hasEntity && q.terms.length > 0 && known.length === 0 && q.cjk.length === 0 && !contentFilters) return [];
  // Origin and openness select when they are the question ("open models from China"), else they rank.
  const hardFilters = !hasEntity && known.length === 0;
  // The word search (only common words: the newest stories that contain them all) and the substring
  // searches, and the stories they select, in one statement. Which stories are read: the entities'
  // stories when the question names any; else the stories found; else, when only filters were asked
  // ("open models this month"), every story in the window.
  const words =
    selective.length > 0
      ? { query: storySearch.ranked(db, selective, options.team), scored: true }
      : known.length > 0 && !hasEntity
        ? { query: storySearch.all(db, known, options.team), scored: false }
        : null;
  const ranked = searchRanked(db, {
    words,
    runs: q.cjk.map((run) => storySearch.substring(db, run, options.team)),
    candidates: candidates ? [...candidates] : null,
    fallbackSince: known.length === 0 && (since || contentFilters) ? (since ?? '') : null,
    tags: contentFilters,
    // Tenancy: a team finds only stories it can see (an item from its feeds, or a built-in source).
    ...(options.team === undefined ? {} : { team: options.team }),
  });
  const rank = new Map<number, number>();
  const stories: {
    id: number;
    title: string;
    summary: string | null;
    published_at: string;
    source_count: number;
    fsrc: string | null;
    tags: string | null;
  }[] = [];
  const limit = options.limit ?? 10;
  // When the named entities have no more stories than the answer holds, any of them may be in it: their
  // first-source URLs are read alongside the ranking (on PostgreSQL, a round trip saved), not after it.
  const [rows, earlyUrls] = await Promise.all([
    db.all(ranked.text, ranked.params) as Promise<((typeof stories)[number] & { k: number; r: number | null })[]>,
    candidates && candidates.size <= limit ? s.stories.firstSourceUrls([...candidates], 100, options.team) : null,
  ]);
  // Rows come word hits first, then each CJK run's, in order, then the stories.
  for (const r of rows) {
    if (r.k === 0) rank.set(r.id, selective.length > 0 ? (r.r as number) : 1);
    else if (r.k < 9) rank.set(r.id, (rank.get(r.id) ?? 0) + 5);
    else stories.push(r);
  }
  const tags = new Map<number, { kind: string; key: string }[]>();
  for (const st of stories)
    if (st.tags)
      tags.set(
        st.id,
        (JSON.parse(st.tags) as [string, string][]).map(([kind, key]) => ({ kind, key })),
      );
  const maxRank = Math.max(1e-9, ...rank.values());
  const hits: SearchHit[] = [];
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
    hits.push({
      id: st.id,
      title: st.title,
      summary: st.summary,
      publishedAt: st.published_at,
      sourceCount: st.source_count,
      url: null,
      coverage,
      score,
    });
  }
  hits.sort((a, b) => b.score - a.score);
  const top = hits.slice(0, limit);
  const urls =
    earlyUrls ??
    (await s.stories.firstSourceUrls(
      top.map((h) => h.id),
      100,
      options.team,
    ));
  for (const h of top) h.url = urls.get(h.id) ?? null;
  return top;
}
