import type { Sql, SqlValue } from './sql.js';
import { storyVisibleTo } from './team-scope.js';

/** A statement and its parameters. */
export interface Query {
  text: string;
  params: SqlValue[];
}

/** Story counts up to this many never set a word aside as too common (see searchQuery). */
const ALWAYS_SELECTIVE = 50;

/**
 * With a team, a search's own condition that its hits are stories the team can see: applied inside each
 * capped search, or a team would lose its stories behind the first 300–500 hits of everyone's.
 */
function visibleTo(team: string | undefined, id: string): { text: string; params: SqlValue[] } {
  return team === undefined ? { text: '', params: [] } : { text: `AND ${storyVisibleTo(id, '?')}`, params: [team] };
}

/**
 * The words of `v` (the search's word table: pos, term, doc, sel) that pass `where`, in the question's
 * order, as one full-text query: each word a quoted prefix, joined by `op`. FTS5: `"word"*` (quotes
 * dropped), or `""`, which matches nothing, when no word passes; tsquery: `'word':*` (quotes doubled,
 * backslashes dropped), or null, which matches nothing. Which word search runs is decided here, not by a
 * condition beside the MATCH: SQLite runs an FTS5 query whatever else its WHERE says.
 */
function wordQuery(sql: Pick<Sql, 'engine'>, where: string, op: 'OR' | 'AND'): string {
  if (sql.engine === 'sqlite')
    return `coalesce((SELECT group_concat('"' || replace(term, '"', '') || '"*', ' ${op} ' ORDER BY pos) FROM v WHERE ${where}), '""')`;
  return `(SELECT to_tsquery('simple', string_agg('''' || replace(replace(term, '\\', ''), '''', '''''') || ''':*', '${op === 'OR' ? ' | ' : ' & '}' ORDER BY pos)) FROM v WHERE ${where})`;
}

/**
 * A condition on a 0/1 parameter, true for 1, that leaves a statement's text the same either way. SQLite
 * tests it once, before the loop it guards; on PostgreSQL it is a one-time subquery, so a custom plan
 * (with the parameter's value) costs what the generic plan does, and after five runs PostgreSQL keeps the
 * generic plan instead of planning every run.
 */
function flag(sql: Pick<Sql, 'engine'>): string {
  return sql.engine === 'sqlite' ? '? = 1' : '(SELECT CAST(? AS INTEGER)) = 1';
}

/** The question's words with their positions: rows (pos, value) of one JSON array parameter. */
function wordsOf(sql: Pick<Sql, 'engine'>): string {
  return sql.engine === 'sqlite'
    ? '(SELECT key AS pos, value FROM json_each(?))'
    : '(SELECT pos, value FROM json_array_elements_text(?::json) WITH ORDINALITY w(value, pos))';
}

/** What a search asks for (see searchStories for how each applies). */
export interface SearchPlan {
  /** The question's content words (folded). */
  terms: string[];
  /** Named entities as [kind, key]: when any, the stories read are theirs. */
  entities: string[][];
  /** Only stories published since then (entities' stories and the newest-stories fallback). */
  since: string | null;
  /** Runs of CJK text, each searched by substring. */
  runs: string[];
  /** Origin or openness was asked: with no known word, the newest stories are read. */
  filters: boolean;
  /** Only stories this team can see. */
  team?: string;
}

/** A search hit's empty story columns: the stories' SELECT, first, names the columns. */
const PAD = ', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL';

/**
 * A whole story search in one statement (one round trip on PostgreSQL). Its text depends only on whether
 * entities are named (and how many, in fours), the number of CJK runs and whether a team asks; the words,
 * the time and the filters are parameters, and which parts run is decided inside it. So few texts serve
 * every question (two for the bench's fifty), each prepared once, and on PostgreSQL each soon runs its
 * generic plan rather than being planned again (see `flag`):
 * - `v`: each word's story count (`doc`, from the vocabulary, as a prefix) and whether it is selective
 *   (`sel`: known, in at most max(ALWAYS_SELECTIVE, a tenth of the archive) stories; the archive's size
 *   is the row triggers keep in story_count, 0021);
 * - `w`: the selective words ranked (BM25 on SQLite, ts_rank on PostgreSQL; 500 best); when none is
 *   selective and no entity is named, `wa`: the newest 300 stories holding every known word;
 * - `c0…`: each CJK run's substring search; `named`: the named entities' newest 400 stories since `since`;
 * - the stories read: the entities' when any are named; else those found; else, when `fallback` (filters
 *   asked, or a time with no words or with a CJK run) and no word is known, the newest 1000 since `since`.
 * Each capped search applies the team's visibility itself. Rows, ordered by k then id: k 0, a word hit
 * { id, r } (r null for `wa`); k 1 + i, a hit of CJK run i { id }; k 9, a story { id, title, summary,
 * published_at, source_count, fsrc, tags, url, hidden } (tags its origin and openness tags, a JSON array
 * of [kind, key], null when none; url its first source's, `hidden` 1 when that source is not the team's,
 * so it must be looked up); k 10, a word { title: the word, id: its story count, source_count: 1 if selective }.
 */
export function searchQuery(sql: Pick<Sql, 'engine'>, plan: SearchPlan): Query {
  const ctes: string[] = [];
  const params: SqlValue[] = [];
  const hits: string[] = [];
  const found: string[] = [];
  const hasEntity = plan.entities.length > 0;
  ctes.push(`t AS MATERIALIZED (
      SELECT w.pos, w.value AS term,
        (SELECT CAST(coalesce(sum(doc), 0) AS BIGINT) FROM stories_vocab WHERE term >= w.value AND term < w.value || ?) AS doc
      FROM ${wordsOf(sql)} w)`);
  params.push('\uffff', JSON.stringify(plan.terms));
  ctes.push(`v AS MATERIALIZED (
      SELECT pos, term, doc,
        CASE WHEN doc > 0 AND (doc <= ${ALWAYS_SELECTIVE} OR 10 * doc <= (SELECT n FROM story_count)) THEN 1 ELSE 0 END AS sel
      FROM t)`);
  const v = visibleTo(plan.team, 'stories_fts.rowid');
  if (sql.engine === 'sqlite')
    ctes.push(`w AS MATERIALIZED (
      SELECT stories_fts.rowid AS id, -bm25(stories_fts, 4.0, 2.0, 1.0) AS r FROM stories_fts
      WHERE stories_fts MATCH ${wordQuery(sql, 'sel = 1', 'OR')} ${v.text}
      ORDER BY r DESC LIMIT 500)`);
  else
    ctes.push(`wq AS MATERIALIZED (SELECT ${wordQuery(sql, 'sel = 1', 'OR')} AS query), w AS MATERIALIZED (
      SELECT stories_fts.rowid AS id, ts_rank('{0.1, 0.25, 0.5, 1.0}', stories_fts.tsv, (SELECT query FROM wq)) AS r
      FROM stories_fts WHERE stories_fts.tsv @@ (SELECT query FROM wq) ${v.text}
      ORDER BY r DESC LIMIT 500)`);
  params.push(...v.params);
  hits.push(`SELECT 0, w.id, w.r${PAD} FROM w`);
  found.push('SELECT id FROM w');
  if (!hasEntity) {
    const va = visibleTo(plan.team, 'st.id');
    // Every known word, when none is selective.
    const all = wordQuery(sql, 'doc > 0 AND NOT EXISTS (SELECT 1 FROM v WHERE sel = 1)', 'AND');
    ctes.push(`wa AS MATERIALIZED (
      SELECT st.id FROM stories_fts JOIN stories st ON st.id = stories_fts.rowid
      WHERE ${sql.engine === 'sqlite' ? 'stories_fts MATCH' : 'stories_fts.tsv @@'} ${all} ${va.text}
      ORDER BY st.published_at DESC LIMIT 300)`);
    params.push(...va.params);
    hits.push(`SELECT 0, wa.id, NULL${PAD} FROM wa`);
    found.push('SELECT id FROM wa');
  }
  for (const [i, run] of plan.runs.entries()) {
    const v = visibleTo(plan.team, 'stories_trigram.rowid');
    if (sql.engine === 'sqlite') {
      ctes.push(
        `c${i} AS MATERIALIZED (SELECT rowid AS id FROM stories_trigram WHERE stories_trigram MATCH ? ${v.text} LIMIT 500)`,
      );
      params.push(`"${run.replace(/"/g, '')}"`, ...v.params);
    } else {
      ctes.push(
        `c${i} AS MATERIALIZED (SELECT rowid AS id FROM stories_trigram WHERE doc ILIKE ? ${v.text} LIMIT 500)`,
      );
      params.push(`%${run.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, ...v.params);
    }
    hits.push(`SELECT ${1 + i}, c${i}.id, NULL${PAD} FROM c${i}`);
    found.push(`SELECT id FROM c${i}`);
  }
  let ids: string;
  const idParams: SqlValue[] = [];
  if (hasEntity) {
    // One placeholder pair per entity, padded to a multiple of four (NULL pairs match nothing): the
    // planner sees the keys of a custom plan, and questions naming one to four entities share a text.
    const pairs = Array.from(
      { length: 4 * Math.ceil(plan.entities.length / 4) },
      (_, i) => plan.entities[i] ?? [null, null],
    );
    // Each entity's newest stories are the first entries of its (entity, date) index (0019); a story
    // named by several counts once. A join ordered by the stories' date instead made PostgreSQL walk
    // every story newest first, probing each for the tag: half a second on 100k stories for a rare name.
    const newest = `SELECT * FROM (SELECT se.story_id AS id, se.published_at AS at FROM story_entities se
        WHERE se.entity_id = (SELECT e.id FROM entities e WHERE e.kind = ? AND e.key = ?) AND se.published_at >= ?
        ORDER BY se.published_at DESC LIMIT 400) y`;
    ctes.push(`named AS MATERIALIZED (
        SELECT u.id, max(u.at) AS published_at FROM (${pairs.map(() => newest).join(' UNION ALL ')}) u
        GROUP BY u.id ORDER BY published_at DESC LIMIT 400)`);
    params.push(...pairs.flatMap((p) => [...p, plan.since ?? '']));
    ids = '(SELECT id FROM named)';
  } else {
    // The newest stories, when no word is known: for filters, or a time asked with no words, or with a
    // CJK run (a time with unknown words and nothing else finds nothing: see searchStories).
    const fallback = plan.filters || (plan.since !== null && (plan.terms.length === 0 || plan.runs.length > 0));
    const v = visibleTo(plan.team, 'stories.id');
    ids = `(${found.join(' UNION ')} UNION ALL
      SELECT id FROM (SELECT id FROM stories WHERE ${flag(sql)} AND published_at >= ? AND NOT EXISTS (SELECT 1 FROM v WHERE doc > 0) ${v.text}
        ORDER BY published_at DESC LIMIT 1000) n
      WHERE NOT EXISTS (${found.join(' UNION ')}))`;
    idParams.push(fallback ? 1 : 0, plan.since ?? '', ...v.params);
  }
  // The story's first source with a URL is kept on its row (first_url); for a team, it counts only when
  // its feed is one the team reads (a built-in source or one it subscribes to).
  let hidden = '0';
  let visible = '';
  if (plan.team !== undefined) {
    hidden = `CASE WHEN st.first_url_feed_id IS NULL OR EXISTS (SELECT 1 FROM feeds uf WHERE uf.id = st.first_url_feed_id
        AND (uf.kind = 'builtin' OR EXISTS (SELECT 1 FROM team_feeds utf WHERE utf.team_id = ? AND utf.feed_id = uf.id)))
      THEN 0 ELSE 1 END`;
    visible = `AND ${storyVisibleTo('st.id', '?')}`;
  }
  const team = plan.team === undefined ? [] : [plan.team];
  const stories = `SELECT 9 AS k, st.id AS id, NULL AS r, st.title AS title, st.summary AS summary,
      st.published_at AS published_at, st.source_count AS source_count, f.sources AS fsrc, st.filter_tags AS tags,
      st.first_url AS url, ${hidden} AS hidden
    FROM stories st LEFT JOIN stories_fts f ON f.rowid = st.id WHERE st.id IN ${ids} ${visible}`;
  const words = 'SELECT 10, v.doc, NULL, v.term, NULL, NULL, v.sel, NULL, NULL, NULL, NULL FROM v';
  return {
    text: `WITH ${ctes.join(', ')} ${[stories, ...hits, words].join(' UNION ALL ')} ORDER BY 1, 2`,
    params: [...params, ...team, ...idParams, ...team],
  };
}
