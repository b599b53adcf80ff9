import type { NormalizedItem } from '../core/types.js';
import { insertReturningId, type Sql, type SqlValue, statement } from './sql.js';

/** A stored item. */
export interface StoredItem extends NormalizedItem {
  id: number;
  feedId: number;
  firstSeenAt: string;
}

interface ItemRow {
  id: number;
  feed_id: number;
  guid: string | null;
  url: string | null;
  canonical_url: string | null;
  title: string;
  text: string;
  author: string | null;
  language: string | null;
  published_at: string;
  date_source: NormalizedItem['dateSource'];
  content_hash: string;
  first_seen_at: string;
}

function toItem(r: ItemRow): StoredItem {
  return {
    id: r.id,
    feedId: r.feed_id,
    guid: r.guid,
    url: r.url,
    canonicalUrl: r.canonical_url,
    title: r.title,
    text: r.text,
    author: r.author,
    language: r.language,
    publishedAt: r.published_at,
    dateSource: r.date_source,
    contentHash: r.content_hash,
    firstSeenAt: r.first_seen_at,
  };
}

/** Items, deduplicated per feed by identity hash and by (canonical URL, title). */
export class ItemRepository {
  private readonly stmts;

  constructor(private readonly sql: Sql) {
    this.stmts = {
      // Positional parameters and no RETURNING: a RETURNING statement opens a savepoint, and FTS5 flushes
      // its pending index to disk at every savepoint, so each row became its own tiny segment (2× slower).
      insert: statement(
        sql,
        insertReturningId(
          sql,
          `INSERT INTO items (feed_id, guid, url, canonical_url, title, text, author, language, published_at,
             date_source, content_hash, first_seen_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
        ),
      ),
      // SQLite: indexes every item this transaction stored, in one statement rather than one per row.
      index: statement(
        sql,
        'INSERT INTO items_fts(rowid, title, text) SELECT id, title, substr(text, 1, 1000) FROM items WHERE id >= ?',
      ),
      // PostgreSQL: a whole slice stored and indexed by one statement (one round trip, atomic without a
      // transaction), the items as parallel arrays in their order. A later row that duplicates an
      // earlier one of the same slice is skipped by ON CONFLICT, as it is when rows are inserted one by one.
      insertAll: statement(
        sql,
        `WITH stored AS (
           INSERT INTO items (feed_id, guid, url, canonical_url, title, text, author, language, published_at,
             date_source, content_hash, first_seen_at)
           SELECT @feedId, x.guid, x.url, x.canonical_url, x.title, x.text, x.author, x.language, x.published_at,
             x.date_source, x.content_hash, @now
           FROM unnest(@guid::text[], @url::text[], @canonicalUrl::text[], @title::text[], @text::text[], @author::text[],
             @language::text[], @publishedAt::text[], @dateSource::text[], @contentHash::text[])
             WITH ORDINALITY AS x(guid, url, canonical_url, title, text, author, language, published_at, date_source,
               content_hash, n)
           ORDER BY x.n
           ON CONFLICT DO NOTHING
           RETURNING id, title, text)
         INSERT INTO items_fts (rowid, title, text) SELECT id, title, substr(text, 1, 1000) FROM stored RETURNING rowid AS id`,
      ),
      byId: statement(sql, 'SELECT * FROM items WHERE id = ?'),
      count: statement(sql, 'SELECT count(*) AS n FROM items'),
      // The queue holds exactly the items without a story (triggers keep it so): O(batch), not O(archive).
      unclustered: statement(
        sql,
        'SELECT i.* FROM cluster_queue q JOIN items i ON i.id = q.item_id ORDER BY q.item_id LIMIT ?',
      ),
      search: statement(
        sql,
        sql.engine === 'sqlite'
          ? `SELECT items.* FROM items_fts JOIN items ON items.id = items_fts.rowid
             WHERE items_fts MATCH ? ORDER BY bm25(items_fts) LIMIT ?`
          : `SELECT items.* FROM items_fts JOIN items ON items.id = items_fts.rowid,
               websearch_to_tsquery('simple', ai_news_fold(?)) q
             WHERE items_fts.tsv @@ q ORDER BY ts_rank(items_fts.tsv, q) DESC LIMIT ?`,
      ),
    };
  }

  /** Stores the items not seen before for this feed; returns the new ids (the "new items"), in item order. */
  async insertMany(feedId: number, items: NormalizedItem[], now: Date): Promise<number[]> {
    if (items.length === 0) return [];
    if (this.sql.engine === 'postgres') return this.insertAll(feedId, items, now);
    // One transaction per call: a crash stores all of these items or none of them.
    return this.sql.write(async () => {
      const ids: number[] = [];
      for (const it of items) {
        const { changes, lastId } = await this.stmts.insert.run(
          feedId,
          it.guid,
          it.url,
          it.canonicalUrl,
          it.title,
          it.text,
          it.author,
          it.language,
          it.publishedAt,
          it.dateSource,
          it.contentHash,
          now.toISOString(),
        );
        if (changes > 0) ids.push(Number(lastId));
      }
      // A new rowid is max(rowid) + 1, so the rows at or above the first new id are exactly those inserted above.
      if (ids.length > 0) await this.stmts.index.run(ids[0] as number);
      return ids;
    });
  }

  /** PostgreSQL's insertMany: one statement, whose new ids ascend in item order (one sequence, rows in order). */
  private async insertAll(feedId: number, items: NormalizedItem[], now: Date): Promise<number[]> {
    // Arrays go to pg as they are (it sends them as array literals); the port's values are scalars otherwise.
    const column = (pick: (it: NormalizedItem) => string | null) => items.map(pick) as unknown as SqlValue;
    const rows = await this.stmts.insertAll.all<{ id: number }>({
      feedId,
      now: now.toISOString(),
      guid: column((it) => it.guid),
      url: column((it) => it.url),
      canonicalUrl: column((it) => it.canonicalUrl),
      title: column((it) => it.title),
      text: column((it) => it.text),
      author: column((it) => it.author),
      language: column((it) => it.language),
      publishedAt: column((it) => it.publishedAt),
      dateSource: column((it) => it.dateSource),
      contentHash: column((it) => it.contentHash),
    });
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async get(id: number): Promise<StoredItem | undefined> {
    const r = (await this.stmts.byId.get(id)) as ItemRow | undefined;
    return r && toItem(r);
  }

  /** Items not yet in a story: the new ones, and any a crash left behind. */
  async unclustered(limit = 5000): Promise<StoredItem[]> {
    return ((await this.stmts.unclustered.all(limit)) as ItemRow[]).map(toItem);
  }

  async count(): Promise<number> {
    return ((await this.stmts.count.get()) as { n: number }).n;
  }

  /** Full-text search over item title and text (FTS5 query syntax). */
  async search(match: string, limit = 20): Promise<StoredItem[]> {
    return ((await this.stmts.search.all(match, limit)) as ItemRow[]).map(toItem);
  }
}
