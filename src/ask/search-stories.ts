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
  // Independent lookups run together: on PostgreSQL each is a round trip, and a search is mostly those.
  const [entityRows, counts] = await Promise.all([
    entityKeys.length > 0 ? storiesWithEntities(s, entityKeys, since) : null,
    archiveCounts(s, q.terms),
  ]);
  const candidates = entityRows === null ? null : new Set(entityRows);
  // Words the archive has never seen cannot tell stories apart ("hizo", "came"); only known ones count.
  // Words in a large share of stories still count for coverage, but are not worth a ranked full scan.
  const total = Math.max(1, counts.total);
  const frequency = counts.frequency;
  const known = q.terms.filter((t) => (frequency.get(t) ?? 0) > 0);
  const selective = known.filter((t) => (frequency.get(t) ?? 0) <= Math.max(50, total * 0.1));
  const hasEntity = entityKeys.length > 0;
  const contentFilters = q.origins.length > 0 || q.openness.length > 0;
  // Asked about something the archive does not have ("bitcoin today"): nothing, not everything from today.
  if (!hasEntity && q.terms.length > 0 && known.length === 0 && q.cjk.length === 0 && !contentFilters) return [];
  // Origin and openness select when they are the question ("open models from China"), else they rank.
  const hardFilters = !hasEntity && known.length === 0;
  const rank = new Map<number, number>();
  // The word search and the substring searches read independently; their results apply in this order.
  const wordQuery =
    selective.length > 0
      ? storySearch.ranked(db, selective)
      : known.length > 0 && !hasEntity
        ? storySearch.all(db, known) // Only common words: the newest stories that contain them all.
        : null;
  const [wordRows, ...cjkRows] = await Promise.all([
    wordQuery ? (db.all(wordQuery.text, wordQuery.params) as Promise<{ id: number; r?: number }[]>) : [],
    ...q.cjk.map((run) => {
      const query = storySearch.substring(db, run);
      return db.all(query.text, query.params) as Promise<{ id: number }[]>;
    }),
  ]);
  for (const r of wordRows) rank.set(r.id, selective.length > 0 ? (r.r as number) : 1);
  for (const rows of cjkRows) for (const r of rows) rank.set(r.id, (rank.get(r.id) ?? 0) + 5);
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
  const [stories, tagRows] = await Promise.all([
    db.all(
      `SELECT st.id, st.title, st.summary, st.published_at, st.source_count, f.title AS ft, f.summary AS fs, f.sources AS fsrc
         FROM stories st LEFT JOIN stories_fts f ON f.rowid = st.id WHERE st.id IN (${placeholders})`,
      [...ids],
    ) as Promise<
      {
        id: number;
        title: string;
        summary: string | null;
        published_at: string;
        source_count: number;
        ft: string | null;
        fs: string | null;
        fsrc: string | null;
      }[]
    >,
    contentFilters
      ? (db.all(
          `SELECT se.story_id AS id, e.kind, e.key FROM story_entities se JOIN entities e ON e.id = se.entity_id WHERE se.story_id IN (${placeholders}) AND e.kind IN ('origin', 'openness')`,
          [...ids],
        ) as Promise<{ id: number; kind: string; key: string }[]>)
      : [],
  ]);
  const tags = new Map<number, { kind: string; key: string }[]>();
  for (const r of tagRows) tags.set(r.id, [...(tags.get(r.id) ?? []), { kind: r.kind, key: r.key }]);
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
  const urls = await s.stories.firstSourceUrls(
    top.map((h) => h.id),
    100,
    options.team,
  );
  for (const h of top) h.url = urls.get(h.id) ?? null;
  return top;
}

/** Stories tagged with any of these (kind, key) entities, newest first (and since `since`): their ids. */
async function storiesWithEntities(s: Services, keys: string[][], since: string | null): Promise<number[]> {
  const where = keys.map(() => '(e.kind = ? AND e.key = ?)').join(' OR ');
  const rows = (await s.sql.all(
    `SELECT DISTINCT se.story_id AS id, st.published_at FROM story_entities se JOIN entities e ON e.id = se.entity_id
       JOIN stories st ON st.id = se.story_id WHERE (${where}) ${since ? 'AND st.published_at >= ?' : ''}
       ORDER BY st.published_at DESC LIMIT 400`,
    [...keys.flat(), ...(since ? [since] : [])],
  )) as { id: number }[];
  return rows.map((r) => r.id);
}

/**
 * How many stories the archive holds, and in how many stories each term occurs (as a prefix): one
 * statement, so PostgreSQL answers in one round trip instead of one per word.
 */
async function archiveCounts(s: Services, terms: string[]): Promise<{ total: number; frequency: Map<string, number> }> {
  const lookups = terms.map(
    (_, i) => `, (SELECT coalesce(sum(doc), 0) FROM stories_vocab WHERE term >= ? AND term < ?) AS n${i}`,
  );
  const row = (await s.sql.get(
    `SELECT (SELECT count(*) FROM stories) AS total${lookups.join('')}`,
    terms.flatMap((t) => [t, `${t}\uffff`]),
  )) as Record<string, number>;
  return { total: row.total ?? 0, frequency: new Map(terms.map((t, i) => [t, row[`n${i}`] ?? 0])) };
}
