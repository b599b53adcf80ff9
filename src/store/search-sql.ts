import { jsonValues, type Sql, type SqlValue } from './sql.js';
import { storyVisibleTo } from './team-scope.js';

/** A statement and its parameters. */
export interface Query {
  text: string;
  params: SqlValue[];
}

/** FTS5: each word as a quoted prefix. */
const fts5 = (terms: string[], op: string) => terms.map((t) => `"${t.replace(/"/g, '')}"*`).join(op);
/** tsquery: each word as a quoted prefix lexeme (quotes doubled, backslashes dropped). */
const tsquery = (terms: string[], op: string) =>
  terms.map((t) => `'${t.replace(/\\/g, '').replace(/'/g, "''")}':*`).join(op);

/**
 * With a team, a search's own condition that its hits are stories the team can see: applied inside each
 * capped search, or a team would lose its stories behind the first 300–500 hits of everyone's.
 */
function visibleTo(team: string | undefined, id: string): { text: string; params: SqlValue[] } {
  return team === undefined ? { text: '', params: [] } : { text: `AND ${storyVisibleTo(id, '?')}`, params: [team] };
}

/**
 * The three story searches whose SQL differs between the engines, with the same semantics: words by
 * prefix over title, summary and sources (diacritics folded; weights 4/2/1), and CJK runs by substring.
 * SQLite uses FTS5 (bm25, trigram table); PostgreSQL a weighted tsvector (ts_rank) and pg_trgm. With
 * `team`, only stories that team can see are found.
 */
export const storySearch = {
  /** Stories holding any of `terms`, best first: rows of { id, r } with r higher for better matches. */
  ranked(sql: Pick<Sql, 'engine'>, terms: string[], team?: string): Query {
    // Qualified: inside the visibility subquery a bare rowid is story_items' or feeds' on SQLite.
    const v = visibleTo(team, 'stories_fts.rowid');
    if (sql.engine === 'sqlite')
      return {
        text: `SELECT rowid AS id, -bm25(stories_fts, 4.0, 2.0, 1.0) AS r FROM stories_fts WHERE stories_fts MATCH ? ${v.text}
               ORDER BY r DESC LIMIT 500`,
        params: [fts5(terms, ' OR '), ...v.params],
      };
    return {
      text: `SELECT rowid AS id, ts_rank('{0.1, 0.25, 0.5, 1.0}', tsv, q) AS r FROM stories_fts, to_tsquery('simple', ?) q
             WHERE tsv @@ q ${v.text} ORDER BY r DESC LIMIT 500`,
      params: [tsquery(terms, ' | '), ...v.params],
    };
  },
  /** The newest stories holding every one of `terms`: rows of { id }. */
  all(sql: Pick<Sql, 'engine'>, terms: string[], team?: string): Query {
    const v = visibleTo(team, 'st.id');
    if (sql.engine === 'sqlite')
      return {
        text: `SELECT st.id FROM stories_fts JOIN stories st ON st.id = stories_fts.rowid WHERE stories_fts MATCH ? ${v.text}
               ORDER BY st.published_at DESC LIMIT 300`,
        params: [terms.map((t) => fts5([t], '')).join(' AND '), ...v.params],
      };
    return {
      text: `SELECT st.id FROM stories_fts JOIN stories st ON st.id = stories_fts.rowid
             WHERE stories_fts.tsv @@ to_tsquery('simple', ?) ${v.text} ORDER BY st.published_at DESC LIMIT 300`,
      params: [tsquery(terms, ' & '), ...v.params],
    };
  },
  /** Stories whose title or body contains `run` (text without spaces between words): rows of { id }. */
  substring(sql: Pick<Sql, 'engine'>, run: string, team?: string): Query {
    const v = visibleTo(team, 'stories_trigram.rowid');
    if (sql.engine === 'sqlite')
      return {
        text: `SELECT rowid AS id FROM stories_trigram WHERE stories_trigram MATCH ? ${v.text} LIMIT 500`,
        params: [`"${run.replace(/"/g, '')}"`, ...v.params],
      };
    return {
      text: `SELECT rowid AS id FROM stories_trigram WHERE doc ILIKE ? ${v.text} LIMIT 500`,
      params: [`%${run.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, ...v.params],
    };
  },
};

/** A JSON array text of [kind, key] for the rows aggregated (an aggregate expression over `e`). */
function jsonTagList(sql: Pick<Sql, 'engine'>): string {
  return sql.engine === 'sqlite'
    ? 'json_group_array(json_array(e.kind, e.key))'
    : 'json_agg(json_build_array(e.kind, e.key))::text';
}

/** Story counts up to this many never set a word aside as too common (see searchStories). */
export const ALWAYS_SELECTIVE = 50;

/**
 * What a search reads before it ranks, in one statement (one round trip on PostgreSQL): rows of
 * { k, term, n } — k 0: the archive's story count, or null when no term is in more than
 * ALWAYS_SELECTIVE stories (then nothing needs it, and counting an archive is a full scan on both
 * engines); k 1: in how many stories `term` occurs as a prefix; k 2: a story (id n) tagged with any of
 * the [kind, key] `entities` and published since `since`, the newest 400. The entities stay one
 * placeholder pair each: with their keys visible to the planner the stories of one entity are found
 * through its index, which a JSON list of unknown length would hide.
 */
export function searchLookup(
  sql: Pick<Sql, 'engine'>,
  terms: string[],
  entities: string[][],
  since: string | null,
): Query {
  const tagged =
    entities.length === 0
      ? ''
      : `UNION ALL
      SELECT 2, NULL, x.id FROM (
        SELECT DISTINCT se.story_id AS id, st.published_at FROM story_entities se JOIN entities e ON e.id = se.entity_id
          JOIN stories st ON st.id = se.story_id
        WHERE (${entities.map(() => '(e.kind = ? AND e.key = ?)').join(' OR ')}) ${since ? 'AND st.published_at >= ?' : ''}
        ORDER BY st.published_at DESC LIMIT 400) x`;
  return {
    text: `WITH t AS MATERIALIZED (
        SELECT w.value AS term,
          (SELECT coalesce(sum(doc), 0) FROM stories_vocab WHERE term >= w.value AND term < w.value || ?) AS doc
        FROM ${jsonValues(sql, 'text')} w)
      SELECT 0 AS k, NULL AS term,
        CASE WHEN EXISTS (SELECT 1 FROM t WHERE doc > ${ALWAYS_SELECTIVE}) THEN (SELECT count(*) FROM stories) END AS n
      UNION ALL
      SELECT 1, t.term, t.doc FROM t
      ${tagged}`,
    params: [
      '\uffff',
      JSON.stringify(terms),
      ...(entities.length === 0 ? [] : [...entities.flat(), ...(since ? [since] : [])]),
    ],
  };
}

/** A search hit's empty story columns: the stories' SELECT, first, names the columns. */
const PAD = ', NULL, NULL, NULL, NULL, NULL, NULL';

/** What a search ranks and reads after its lookup (see searchStories for how each applies). */
export interface RankPlan {
  /** The word search (storySearch.ranked, whose rows carry a score r, or .all), if any. */
  words: { query: Query; scored: boolean } | null;
  /** One substring search per CJK run. */
  runs: Query[];
  /** The stories to read: these ids, or (null) those the searches above found. */
  candidates: number[] | null;
  /** When the searches find nothing, read the newest stories instead: since this time ('' for all), or not (null). */
  fallbackSince: string | null;
  /** Add each story's origin and openness tags. */
  tags: boolean;
  /** Only stories this team can see. */
  team?: string;
}

/**
 * The searches and the stories they select, read in one statement (one round trip on PostgreSQL).
 * Rows ordered by k, then id: k 0, a word-search hit { id, r } (r null for .all); k 1 + i, a hit of
 * CJK run i { id }; k 9, a story { id, title, summary, published_at, source_count, fsrc, tags }
 * with tags a JSON array of [kind, key] (null or [] when none, or not asked).
 */
export function searchRanked(sql: Pick<Sql, 'engine'>, plan: RankPlan): Query {
  const ctes: string[] = [];
  const params: SqlValue[] = [];
  const hits: string[] = [];
  if (plan.words) {
    ctes.push(`w AS MATERIALIZED (${plan.words.query.text})`);
    params.push(...plan.words.query.params);
    hits.push(`SELECT 0, w.id, ${plan.words.scored ? 'w.r' : 'NULL'}${PAD} FROM w`);
  }
  for (const [i, run] of plan.runs.entries()) {
    ctes.push(`c${i} AS MATERIALIZED (${run.text})`);
    params.push(...run.params);
    hits.push(`SELECT ${1 + i}, c${i}.id, NULL${PAD} FROM c${i}`);
  }
  let ids: string;
  if (plan.candidates) {
    ids = jsonValues(sql, 'int');
    params.push(JSON.stringify(plan.candidates));
  } else {
    const found = ctes.map((c) => `SELECT id FROM ${c.slice(0, c.indexOf(' '))}`).join(' UNION ');
    const sources = found ? [found] : [];
    if (plan.fallbackSince !== null) {
      const v = visibleTo(plan.team, 'stories.id');
      sources.push(`SELECT id FROM (SELECT id FROM stories WHERE published_at >= ? ${v.text}
          ORDER BY published_at DESC LIMIT 1000) n
        ${found ? `WHERE NOT EXISTS (${found})` : ''}`);
      params.push(plan.fallbackSince, ...v.params);
    }
    ids = `(${sources.join(' UNION ALL ') || 'SELECT id FROM stories WHERE 1 = 0'})`;
  }
  const tags = plan.tags
    ? `(SELECT ${jsonTagList(sql)} FROM story_entities se JOIN entities e ON e.id = se.entity_id
         WHERE se.story_id = st.id AND e.kind IN ('origin', 'openness'))`
    : 'NULL';
  let visible = '';
  if (plan.team !== undefined) {
    visible = `AND ${storyVisibleTo('st.id', '?')}`;
    params.push(plan.team);
  }
  const stories = `SELECT 9 AS k, st.id AS id, NULL AS r, st.title AS title, st.summary AS summary,
      st.published_at AS published_at, st.source_count AS source_count, f.sources AS fsrc, ${tags} AS tags
    FROM stories st LEFT JOIN stories_fts f ON f.rowid = st.id WHERE st.id IN ${ids} ${visible}`;
  return {
    text: `${ctes.length > 0 ? `WITH ${ctes.join(', ')} ` : ''}${[stories, ...hits].join(' UNION ALL ')} ORDER BY 1, 2`,
    params,
  };
}
