import type { Services } from '../compose.js';
import { storySearch } from '../store/search-sql.js';
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
  let candidates: Set<number> | null = null;
  if (entityKeys.length > 0) {
    const where = entityKeys.map(() => '(e.kind = ? AND e.key = ?)').join(' OR ');
    const rows = (await db.all(
      `SELECT DISTINCT se.story_id AS id, st.published_at FROM story_entities se JOIN entities e ON e.id = se.entity_id
         JOIN stories st ON st.id = se.story_id WHERE (${where}) ${since ? 'AND st.published_at >= ?' : ''}
         ORDER BY st.published_at DESC LIMIT 400`,
      [...entityKeys.flat(), ...(since ? [since] : [])],
    )) as { id: number }[];
    candidates = new Set(rows.map((r) => r.id));
  }
  // Words the archive has never seen cannot tell stories apart ("hizo", "came"); only known ones count.
  // Words in a large share of stories still count for coverage, but are not worth a ranked full scan.
  const total = Math.max(1, ((await db.get('SELECT count(*) AS n FROM stories')) as { n: number }).n);
  const frequency = new Map<string, number>();
  for (const t of q.terms) {
    const row = await db.get<{ n: number }>(
      'SELECT coalesce(sum(doc), 0) AS n FROM stories_vocab WHERE term >= ? AND term < ?',
      [t, `${t}\uffff`],
    );
    frequency.set(t, row?.n ?? 0);
  }
  const known = q.terms.filter((t) => (frequency.get(t) ?? 0) > 0);
  const selective = known.filter((t) => (frequency.get(t) ?? 0) <= Math.max(50, total * 0.1));
  const hasEntity = entityKeys.length > 0;
  const contentFilters = q.origins.length > 0 || q.openness.length > 0;
  // Asked about something the archive does not have ("bitcoin today"): nothing, not everything from today.
  if (!hasEntity && q.terms.length > 0 && known.length === 0 && q.cjk.length === 0 && !contentFilters) return [];
  // Origin and openness select when they are the question ("open models from China"), else they rank.
  const hardFilters = !hasEntity && known.length === 0;
  const rank = new Map<number, number>();
  if (selective.length > 0) {
    const query = storySearch.ranked(db, selective);
    const rows = (await db.all(query.text, query.params)) as { id: number; r: number }[];
    for (const r of rows) rank.set(r.id, r.r);
  } else if (known.length > 0 && !hasEntity) {
    // Only common words: the newest stories that contain them all.
    const query = storySearch.all(db, known);
    const rows = (await db.all(query.text, query.params)) as { id: number }[];
    for (const r of rows) rank.set(r.id, 1);
  }
  for (const run of q.cjk) {
    const query = storySearch.substring(db, run);
    const rows = (await db.all(query.text, query.params)) as { id: number }[];
    for (const r of rows) rank.set(r.id, (rank.get(r.id) ?? 0) + 5);
  }
  let ids: number[];
  if (candidates) ids = [...candidates];
  else if (rank.size > 0) ids = [...rank.keys()];
  else if (known.length === 0 && (since || contentFilters)) {
    // Only filters ("open models this month"): every story in the window is a candidate.
    ids = (
      (await db.all(
        `SELECT id FROM stories ${since ? 'WHERE published_at >= ?' : ''} ORDER BY published_at DESC LIMIT 1000`,
        [...(since ? [since] : [])],
      )) as { id: number }[]
    ).map((r) => r.id);
  } else return [];
  if (ids.length === 0) return [];
  // Tenancy: a team finds only stories it can see (an item from its feeds, or a built-in source).
  if (options.team !== undefined) {
    const visible = await s.stories.visibleTo(options.team, ids);
    ids = ids.filter((id) => visible.has(id));
    if (ids.length === 0) return [];
  }
  const placeholders = ids.map(() => '?').join(',');
  const stories = (await db.all(
    `SELECT st.id, st.title, st.summary, st.published_at, st.source_count, f.title AS ft, f.summary AS fs, f.sources AS fsrc
       FROM stories st LEFT JOIN stories_fts f ON f.rowid = st.id WHERE st.id IN (${placeholders})`,
    [...ids],
  )) as {
    id: number;
    title: string;
    summary: string | null;
    published_at: string;
    source_count: number;
    ft: string | null;
    fs: string | null;
    fsrc: string | null;
  }[];
  const tags = new Map<number, { kind: string; key: string }[]>();
  if (contentFilters) {
    for (const r of (await db.all(
      `SELECT se.story_id AS id, e.kind, e.key FROM story_entities se JOIN entities e ON e.id = se.entity_id WHERE se.story_id IN (${placeholders}) AND e.kind IN ('origin', 'openness')`,
      [...ids],
    )) as { id: number; kind: string; key: string }[]) {
      tags.set(r.id, [...(tags.get(r.id) ?? []), { kind: r.kind, key: r.key }]);
    }
  }
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
  const top = hits.slice(0, options.limit ?? 10);
  for (const h of top) h.url = (await s.stories.sources(h.id, 100, options.team)).find((x) => x.url)?.url ?? null;
  return top;
}
