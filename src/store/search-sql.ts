import type { Sql, SqlValue } from './sql.js';

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
 * The three story searches whose SQL differs between the engines, with the same semantics: words by
 * prefix over title, summary and sources (diacritics folded; weights 4/2/1), and CJK runs by substring.
 * SQLite uses FTS5 (bm25, trigram table); PostgreSQL a weighted tsvector (ts_rank) and pg_trgm.
 */
export const storySearch = {
  /** Stories holding any of `terms`, best first: rows of { id, r } with r higher for better matches. */
  ranked(sql: Pick<Sql, 'engine'>, terms: string[]): Query {
    if (sql.engine === 'sqlite')
      return {
        text: 'SELECT rowid AS id, -bm25(stories_fts, 4.0, 2.0, 1.0) AS r FROM stories_fts WHERE stories_fts MATCH ? ORDER BY r DESC LIMIT 500',
        params: [fts5(terms, ' OR ')],
      };
    return {
      text: `SELECT rowid AS id, ts_rank('{0.1, 0.25, 0.5, 1.0}', tsv, q) AS r FROM stories_fts, to_tsquery('simple', ?) q
             WHERE tsv @@ q ORDER BY r DESC LIMIT 500`,
      params: [tsquery(terms, ' | ')],
    };
  },
  /** The newest stories holding every one of `terms`: rows of { id }. */
  all(sql: Pick<Sql, 'engine'>, terms: string[]): Query {
    if (sql.engine === 'sqlite')
      return {
        text: 'SELECT st.id FROM stories_fts JOIN stories st ON st.id = stories_fts.rowid WHERE stories_fts MATCH ? ORDER BY st.published_at DESC LIMIT 300',
        params: [terms.map((t) => fts5([t], '')).join(' AND ')],
      };
    return {
      text: `SELECT st.id FROM stories_fts JOIN stories st ON st.id = stories_fts.rowid
             WHERE stories_fts.tsv @@ to_tsquery('simple', ?) ORDER BY st.published_at DESC LIMIT 300`,
      params: [tsquery(terms, ' & ')],
    };
  },
  /** Stories whose title or body contains `run` (text without spaces between words): rows of { id }. */
  substring(sql: Pick<Sql, 'engine'>, run: string): Query {
    if (sql.engine === 'sqlite')
      return {
        text: 'SELECT rowid AS id FROM stories_trigram WHERE stories_trigram MATCH ? LIMIT 500',
        params: [`"${run.replace(/"/g, '')}"`],
      };
    return {
      text: 'SELECT rowid AS id FROM stories_trigram WHERE doc ILIKE ? LIMIT 500',
      params: [`%${run.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
    };
  },
};
