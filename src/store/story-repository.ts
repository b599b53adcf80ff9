import { indexTerms, parseProfile, type StoryProfile, serializeProfile } from '../stories/story-profile.js';
import { insertReturningId, jsonValues, type Sql, type SqlValue, type Statement, statement } from './sql.js';
import { storyVisibleTo } from './team-scope.js';

/** A story as the digest, search and commands see it. */
export interface Story {
  id: number;
  firstSeenAt: string;
  updatedAt: string;
  publishedAt: string;
  lastItemAt: string;
  title: string;
  itemCount: number;
  sourceCount: number;
  summary: string | null;
  summarySource: 'model' | 'offline' | 'fallback' | null;
  summaryReason: string | null;
  summaryModel: string | null;
  summaryLanguage: string | null;
  summarizedItemCount: number;
  summaryCount: number;
}

/** One source of a story: the item and the feed it came from. */
export interface StorySource {
  itemId: number;
  title: string;
  url: string | null;
  text: string;
  publishedAt: string;
  language: string | null;
  feedId: number;
  feedTitle: string | null;
  reason: string;
  /** Why it joined, in words (null for the first report and for reports clustered before this was kept). */
  detail: string | null;
}

interface StoryRow {
  id: number;
  first_seen_at: string;
  updated_at: string;
  published_at: string;
  last_item_at: string;
  title: string;
  item_count: number;
  source_count: number;
  summary: string | null;
  summary_source: Story['summarySource'];
  summary_reason: string | null;
  summary_model: string | null;
  summary_language: string | null;
  summarized_item_count: number;
  summary_count: number;
}

function toStory(r: StoryRow): Story {
  return {
    id: r.id,
    firstSeenAt: r.first_seen_at,
    updatedAt: r.updated_at,
    publishedAt: r.published_at,
    lastItemAt: r.last_item_at,
    title: r.title,
    itemCount: r.item_count,
    sourceCount: r.source_count,
    summary: r.summary,
    summarySource: r.summary_source,
    summaryReason: r.summary_reason,
    summaryModel: r.summary_model,
    summaryLanguage: r.summary_language,
    summarizedItemCount: r.summarized_item_count,
    summaryCount: r.summary_count,
  };
}

interface SourceRow {
  item_id: number;
  title: string;
  url: string | null;
  text: string;
  published_at: string;
  language: string | null;
  feed_id: number;
  feed_title: string | null;
  reason: string;
  detail: string | null;
}

function toSource(r: SourceRow): StorySource {
  return {
    itemId: r.item_id,
    title: r.title,
    url: r.url,
    text: r.text,
    publishedAt: r.published_at,
    language: r.language,
    feedId: r.feed_id,
    feedTitle: r.feed_title,
    reason: r.reason,
    detail: r.detail,
  };
}

interface CandidateRow {
  id: number;
  terms: string;
  keys: string;
  last_item_at: string;
  published_at: string;
  item_count: number;
}

const toProfile = (r: CandidateRow) =>
  parseProfile(r.id, r.terms, r.keys, r.published_at, r.last_item_at, r.item_count);

/**
 * Which stories need a summary: never summarized, or summarized once and since grown to at least twice
 * the items and three sources. The same words as the partial index `stories_unsummarized` (0014), so
 * the planner uses it instead of reading every story.
 */
const NEEDS_SUMMARY =
  'summary_count = 0 OR (summary_count = 1 AND item_count >= 2 * summarized_item_count AND source_count >= 3)';

/**
 * Each story's first `limit` rows of `columns` from its items (joined as `si` story_items, `i` items), in
 * index order, for many stories in one statement on PostgreSQL (LATERAL: a round trip per story was
 * most of a first poll there); SQLite, in-process, runs the one-story statement per story.
 */
function firstRowsOfStories(sql: Pick<Sql, 'engine'>, columns: string): string {
  return `SELECT s.id AS story_id, x.* FROM ${jsonValues(sql, 'int')} s(id) CROSS JOIN LATERAL (
      SELECT ${columns}, si.published_at AS order_at, si.item_id AS order_id
      FROM story_items si JOIN items i ON i.id = si.item_id
      WHERE si.story_id = s.id ORDER BY si.published_at, si.item_id LIMIT ?) x`;
}

/** Reports placed in stories and not yet written: see StoryRepository.create, join and flush. */
export class Placements {
  /** story_items rows. */
  readonly links: SqlValue[][] = [];
  /** Index terms of new stories, as (term, story). */
  readonly terms: [string, number][] = [];
  /** Items joined to each story after its first, with the earliest and latest of their dates. */
  readonly joined = new Map<number, { itemIds: number[]; first: string; last: string }>();
}

/** Rows per multi-row INSERT of placements (8 parameters per link, 2 per term). */
const LINKS_PER_STATEMENT = 100;
const TERMS_PER_STATEMENT = 400;

/** Stories per statement when many are read or indexed at once (4 parameters per search entry). */
const ENTRIES_PER_STATEMENT = 100;

/** `n` rows of `width` placeholders each, for a multi-row VALUES. */
const rowsOf = (n: number, width: number) =>
  Array.from({ length: n }, () => `(${Array.from({ length: width }, () => '?').join(', ')})`).join(', ');

/** What is stored with a summary. */
export interface SummaryWrite {
  summary: string;
  source: 'model' | 'offline' | 'fallback';
  reason: string | null;
  model: string | null;
  language: string | null;
  headline?: string | null;
}

/** How many of a story's heaviest terms go into the inverted index clustering searches. */
const INDEXED_TERMS = 16;

/** Stories, their items, and their summaries. */
export class StoryRepository {
  private readonly s;

  constructor(private readonly sql: Sql) {
    this.s = {
      create: statement(
        sql,
        insertReturningId(
          sql,
          `INSERT INTO stories (first_seen_at, updated_at, published_at, last_item_at, title, terms, keys, item_count, source_count,
             first_url_item_id, first_url, first_url_feed_id)
           VALUES (@now, @now, @publishedAt, @publishedAt, @title, @terms, @keys, 1, 1,
             (SELECT id FROM items WHERE id = @item AND url != ''), (SELECT url FROM items WHERE id = @item AND url != ''),
             (SELECT feed_id FROM items WHERE id = @item AND url != ''))`,
        ),
      ),
      // A story's index terms arrive as one JSON array: one statement per story, not one per term.
      addTerms: statement(
        sql,
        `INSERT INTO story_terms (term, story_id) SELECT t.value, CAST(? AS BIGINT) FROM ${jsonValues(sql, 'text')} t
         WHERE true ON CONFLICT DO NOTHING`,
      ),
      dropTerms: statement(sql, `DELETE FROM story_terms WHERE story_id = ? AND term IN ${jsonValues(sql, 'text')}`),
      // A story's counts after `items` (a JSON array) were linked to it: they move by what was added, so
      // the story's size never makes a join slower, and a feed counts once per story. Its first source
      // with a URL is the earliest of the one it had and the items added (read from those items: CROSS
      // JOIN keeps SQLite from walking the story's links instead).
      update: statement(
        sql,
        `UPDATE stories SET updated_at = ?,
           published_at = CASE WHEN ? < published_at THEN ? ELSE published_at END,
           last_item_at = CASE WHEN ? > last_item_at THEN ? ELSE last_item_at END,
           item_count = item_count + (SELECT count(*) FROM story_items a WHERE a.story_id = stories.id
             AND a.item_id IN ${jsonValues(sql, 'int')}),
           source_count = source_count + (SELECT count(DISTINCT x.feed_id) FROM story_items x WHERE x.story_id = stories.id
             AND x.item_id IN ${jsonValues(sql, 'int')}
             AND NOT EXISTS (SELECT 1 FROM story_items y WHERE y.story_id = stories.id AND y.feed_id = x.feed_id
               AND y.item_id NOT IN ${jsonValues(sql, 'int')})),
           (first_url_item_id, first_url, first_url_feed_id) = (SELECT i.id, i.url, i.feed_id
             FROM (SELECT value AS id FROM ${jsonValues(sql, 'int')} n UNION ALL SELECT stories.first_url_item_id) c
               CROSS JOIN story_items si JOIN items i ON i.id = si.item_id
             WHERE si.item_id = c.id AND si.story_id = stories.id AND i.url != ''
             ORDER BY si.published_at, si.item_id LIMIT 1)
         WHERE id = ?`,
      ),
      saveProfile: statement(sql, 'UPDATE stories SET terms = @terms, keys = @keys WHERE id = @id'),
      recount: statement(
        sql,
        `UPDATE stories SET updated_at = @now,
           published_at = (SELECT min(i.published_at) FROM story_items si JOIN items i ON i.id = si.item_id WHERE si.story_id = @id),
           last_item_at = (SELECT max(i.published_at) FROM story_items si JOIN items i ON i.id = si.item_id WHERE si.story_id = @id),
           item_count = (SELECT count(*) FROM story_items WHERE story_id = @id),
           source_count = (SELECT count(DISTINCT feed_id) FROM story_items WHERE story_id = @id),
           (first_url_item_id, first_url, first_url_feed_id) = (SELECT i.id, i.url, i.feed_id
             FROM story_items si JOIN items i ON i.id = si.item_id
             WHERE si.story_id = @id AND i.url != '' ORDER BY si.published_at, si.item_id LIMIT 1)
         WHERE id = @id`,
      ),
      moveItems: statement(sql, 'UPDATE story_items SET story_id = ? WHERE story_id = ?'),
      moveFeedback: statement(
        sql,
        `UPDATE feedback SET story_id = @into WHERE story_id = @from
           AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.story_id = @into AND f.team_id = feedback.team_id
             AND f.channel_id = feedback.channel_id AND f.user_id = feedback.user_id)`,
      ),
      redirect: statement(
        sql,
        `INSERT INTO story_merges (from_id, into_id, at) VALUES (?, ?, ?)
         ON CONFLICT (from_id) DO UPDATE SET into_id = excluded.into_id, at = excluded.at`,
      ),
      redirectTo: statement(sql, 'UPDATE story_merges SET into_id = ? WHERE into_id = ?'),
      mergedInto: statement(sql, 'SELECT into_id AS id FROM story_merges WHERE from_id = ?'),
      remove: statement(sql, 'DELETE FROM stories WHERE id = ?'),
      // The story of the first stored report with each URL, in the URL index's own order: one probe per URL
      // even when thousands of items share it (ordering by story id read every one of them), and one
      // statement for a clustering slice's URLs.
      byUrls: statement(
        sql,
        `SELECT u.value AS url, (SELECT si.story_id FROM items i JOIN story_items si ON si.item_id = i.id
           WHERE i.canonical_url = u.value ORDER BY i.id LIMIT 1) AS id
         FROM ${jsonValues(sql, 'text')} u`,
      ),
      candidate: statement(
        sql,
        'SELECT id, terms, keys, last_item_at, published_at, item_count FROM stories WHERE id = ?',
      ),
      candidates: statement(
        sql,
        `SELECT id, terms, keys, last_item_at, published_at, item_count FROM stories
         WHERE id IN ${jsonValues(sql, 'int')}`,
      ),
      // Terms arrive as one JSON array, so the statement is prepared once whatever their number.
      sharing: statement(
        sql,
        `SELECT st.story_id AS id, s.last_item_at AS at FROM story_terms st JOIN stories s ON s.id = st.story_id
         WHERE st.term IN (SELECT term FROM story_terms WHERE term IN ${jsonValues(sql, 'text')}
                           GROUP BY term HAVING count(*) <= 60)
           AND s.last_item_at >= ?
         ORDER BY s.last_item_at DESC LIMIT ?`,
      ),
      clearTerms: statement(sql, 'DELETE FROM story_terms WHERE story_id = ?'),
      byId: statement(sql, 'SELECT * FROM stories WHERE id = ?'),
      since: statement(
        sql,
        'SELECT * FROM stories WHERE first_seen_at >= @since OR last_item_at >= @since ORDER BY published_at DESC LIMIT @limit',
      ),
      // In index order (story, date, item): the first sources of a 20,000-item story cost what a small one's do.
      sources: statement(
        sql,
        `SELECT i.id AS item_id, i.title, i.url, i.text, i.published_at, i.language, i.feed_id, f.title AS feed_title, si.reason,
           si.detail
         FROM story_items si JOIN items i ON i.id = si.item_id JOIN feeds f ON f.id = i.feed_id
         WHERE si.story_id = ? ORDER BY si.published_at, si.item_id LIMIT ?`,
      ),
      refs: statement(
        sql,
        `SELECT si.item_id, si.feed_id, i.language FROM story_items si JOIN items i ON i.id = si.item_id
         WHERE si.story_id = ? ORDER BY si.published_at, si.item_id LIMIT ?`,
      ),
      byItems: statement(
        sql,
        `SELECT i.id AS item_id, i.title, i.url, i.text, i.published_at, i.language, i.feed_id, f.title AS feed_title, si.reason,
           si.detail
         FROM story_items si JOIN items i ON i.id = si.item_id JOIN feeds f ON f.id = i.feed_id
         WHERE si.item_id IN ${jsonValues(sql, 'int')}`,
      ),
      // Titles and leads only: the search entry needs 300 characters of each source, not whole articles.
      searchSources: statement(
        sql,
        `SELECT i.title, substr(i.text, 1, 300) AS lead FROM story_items si JOIN items i ON i.id = si.item_id
         WHERE si.story_id = ? ORDER BY si.published_at, si.item_id LIMIT ?`,
      ),
      needing: statement(sql, `SELECT * FROM stories WHERE ${NEEDS_SUMMARY} ORDER BY id LIMIT ?`),
      stillNeedMany: statement(
        sql,
        `SELECT id FROM stories WHERE id IN ${jsonValues(sql, 'int')} AND (${NEEDS_SUMMARY})`,
      ),
      // What a search entry is made of, for many stories at once.
      entries: statement(sql, `SELECT id, title, summary FROM stories WHERE id IN ${jsonValues(sql, 'int')}`),
      ftsDeleteMany: statement(sql, `DELETE FROM stories_fts WHERE rowid IN ${jsonValues(sql, 'int')}`),
      triDeleteMany: statement(sql, `DELETE FROM stories_trigram WHERE rowid IN ${jsonValues(sql, 'int')}`),
      setSummary: statement(
        sql,
        `UPDATE stories SET summary = @summary, summary_source = @source, summary_reason = @reason, summary_model = @model,
           summary_language = @language, summarized_item_count = item_count, summary_count = summary_count + 1,
           title = coalesce(@headline, title)
         WHERE id = @id`,
      ),
      ftsDelete: statement(sql, 'DELETE FROM stories_fts WHERE rowid = ?'),
      triDelete: statement(sql, 'DELETE FROM stories_trigram WHERE rowid = ?'),
      count: statement(sql, 'SELECT count(*) AS n FROM stories'),
      window: statement(
        sql,
        `SELECT * FROM stories WHERE first_seen_at >= @from AND first_seen_at < @to AND published_at >= @publishedSince
         ORDER BY published_at DESC LIMIT @limit`,
      ),
      dates: statement(sql, 'SELECT id, published_at FROM stories WHERE published_at >= ? AND published_at < ?'),
      // Tenancy: the same reads, limited to the stories a team can see (storyVisibleTo, one shape everywhere).
      sinceForTeam: statement(
        sql,
        `SELECT * FROM stories WHERE (first_seen_at >= @since OR last_item_at >= @since) AND ${storyVisibleTo('stories.id')}
         ORDER BY published_at DESC LIMIT @limit`,
      ),
      windowForTeam: statement(
        sql,
        `SELECT * FROM stories WHERE first_seen_at >= @from AND first_seen_at < @to AND published_at >= @publishedSince
           AND ${storyVisibleTo('stories.id')}
         ORDER BY published_at DESC LIMIT @limit`,
      ),
      datesForTeam: statement(
        sql,
        `SELECT id, published_at FROM stories WHERE published_at >= @from AND published_at < @to AND ${storyVisibleTo('stories.id')}`,
      ),
      sourcesForTeam: statement(
        sql,
        `SELECT i.id AS item_id, i.title, i.url, i.text, i.published_at, i.language, i.feed_id, f.title AS feed_title, si.reason,
           si.detail
         FROM story_items si JOIN items i ON i.id = si.item_id JOIN feeds f ON f.id = i.feed_id
         WHERE si.story_id = @id
           AND (f.kind = 'builtin' OR EXISTS (SELECT 1 FROM team_feeds vtf WHERE vtf.team_id = @team AND vtf.feed_id = si.feed_id))
         ORDER BY si.published_at, si.item_id LIMIT @limit`,
      ),
      untagged: statement(sql, 'SELECT id FROM stories WHERE tagged_item_count != item_count ORDER BY id LIMIT ?'),
      markTagged: statement(
        sql,
        `UPDATE stories SET tagged_item_count = item_count WHERE id IN ${jsonValues(sql, 'int')}`,
      ),
    };
  }

  /** The terms the inverted index holds for a profile, as `saveProfile` stores them. */
  indexedTerms(p: StoryProfile): string[] {
    return indexTerms(p, INDEXED_TERMS);
  }

  /**
   * Brings a story's index terms to its profile's. With `before` (what the index held, as `indexedTerms`
   * gave it then), only the difference is written, and nothing when the heaviest terms did not change —
   * the usual case when a big story gains a report; without it, the story's terms are replaced.
   */
  private async indexTerms(p: StoryProfile, before?: readonly string[]): Promise<void> {
    const after = this.indexedTerms(p);
    if (before === undefined) {
      await this.s.clearTerms.run(p.id);
      await this.s.addTerms.run(p.id, JSON.stringify(after));
      return;
    }
    const kept = new Set(after);
    const removed = before.filter((t) => !kept.has(t));
    const had = new Set(before);
    if (removed.length === 0 && after.every((t) => had.has(t))) return;
    if (removed.length > 0) await this.s.dropTerms.run(p.id, JSON.stringify(removed));
    // All of them, not only the new ones: a row the index lacks (an older version's index) is put back.
    await this.s.addTerms.run(p.id, JSON.stringify(after));
  }

  /**
   * Recent stories sharing any of `terms` (at most `cap`, most recent first), leaving out terms so
   * common they would select almost everything.
   */
  async candidatesSharing(terms: string[], since: Date, cap = 3000): Promise<StoryProfile[]> {
    const sinceIso = since.toISOString();
    const ids = new Map<number, string>();
    for (let i = 0; i < terms.length && ids.size < cap; i += 400) {
      const rows = (await this.s.sharing.all(JSON.stringify(terms.slice(i, i + 400)), sinceIso, cap)) as {
        id: number;
        at: string;
      }[];
      for (const r of rows) if (ids.size < cap) ids.set(r.id, r.at);
    }
    // One statement for all of them rather than one per story: a slice loads up to `cap` candidates.
    const byId = new Map<number, StoryProfile>();
    const wanted = [...ids.keys()];
    for (let i = 0; i < wanted.length; i += 1000) {
      const rows = (await this.s.candidates.all(JSON.stringify(wanted.slice(i, i + 1000)))) as CandidateRow[];
      for (const r of rows) byId.set(r.id, toProfile(r));
    }
    return wanted.map((id) => byId.get(id)).filter((p): p is StoryProfile => p !== undefined);
  }

  /** A batch of placements: `create` and `join` add to it, `flush` writes it (clusterItems, per slice). */
  placements(): Placements {
    return new Placements();
  }

  /**
   * Starts a story with its first item; returns its id. With the item's `profile`, the story's clustering
   * profile and index terms are stored with it (and the profile takes the new id); later changes are
   * stored by `saveProfile`. The story row is written at once (its id is needed); its link and terms wait
   * in `batch` for `flush`, or are written now without one.
   */
  async create(
    item: { id: number; title: string; publishedAt: string; feedId: number },
    now: Date,
    profile?: StoryProfile,
    batch?: Placements,
  ): Promise<number> {
    // run() rather than RETURNING: see ItemRepository (a RETURNING statement makes FTS5 flush per row).
    const id = Number(
      (
        await this.s.create.run({
          now: now.toISOString(),
          publishedAt: item.publishedAt,
          title: item.title,
          item: item.id,
          ...(profile ? serializeProfile(profile) : { terms: '[]', keys: '[]' }),
        })
      ).lastId,
    );
    const b = batch ?? new Placements();
    b.links.push([id, item.id, item.feedId, item.publishedAt, 'new', null, now.toISOString(), null]);
    if (profile) {
      profile.id = id;
      for (const t of this.indexedTerms(profile)) b.terms.push([t, id]);
    }
    if (!batch) await this.flush(b, now);
    return id;
  }

  /**
   * Adds an item to a story (once; an item never moves on its own); written with `batch` by `flush`, or
   * now without one.
   */
  async join(
    storyId: number,
    item: { id: number; publishedAt: string; feedId: number },
    reason: string,
    score: number | null,
    detail: string | null,
    now: Date,
    batch?: Placements,
  ): Promise<void> {
    const b = batch ?? new Placements();
    b.links.push([storyId, item.id, item.feedId, item.publishedAt, reason, score, now.toISOString(), detail]);
    const j = b.joined.get(storyId);
    if (!j) b.joined.set(storyId, { itemIds: [item.id], first: item.publishedAt, last: item.publishedAt });
    else {
      j.itemIds.push(item.id);
      if (item.publishedAt < j.first) j.first = item.publishedAt;
      if (item.publishedAt > j.last) j.last = item.publishedAt;
    }
    if (!batch) await this.flush(b, now);
  }

  /**
   * Writes a batch of placements: every link and index term in a few multi-row INSERTs, then one UPDATE
   * of counts and dates per story that gained items. Leaves the batch empty.
   */
  async flush(batch: Placements, now: Date): Promise<void> {
    // The item's date is kept beside it in story_items, so a story's first sources are read in index order.
    for (let i = 0; i < batch.links.length; i += LINKS_PER_STATEMENT) {
      const chunk = batch.links.slice(i, i + LINKS_PER_STATEMENT);
      await this.sql.run(
        `INSERT INTO story_items (story_id, item_id, feed_id, published_at, reason, score, joined_at, detail)
         VALUES ${rowsOf(chunk.length, 8)} ON CONFLICT(item_id) DO NOTHING`,
        chunk.flat(),
      );
    }
    for (let i = 0; i < batch.terms.length; i += TERMS_PER_STATEMENT) {
      const chunk = batch.terms.slice(i, i + TERMS_PER_STATEMENT);
      await this.sql.run(
        `INSERT INTO story_terms (term, story_id) VALUES ${rowsOf(chunk.length, 2)} ON CONFLICT DO NOTHING`,
        chunk.flat(),
      );
    }
    const at = now.toISOString();
    for (const [id, j] of batch.joined) {
      const items = JSON.stringify(j.itemIds);
      await this.s.update.run(at, j.first, j.first, j.last, j.last, items, items, items, items, id);
    }
    batch.links.length = 0;
    batch.terms.length = 0;
    batch.joined.clear();
  }

  /**
   * Stores a story's clustering profile and refreshes its index terms; `indexedBefore` is what
   * `indexedTerms` gave before the profile changed, when the caller kept it (see indexTerms).
   */
  async saveProfile(profile: StoryProfile, indexedBefore?: readonly string[]): Promise<void> {
    await this.s.saveProfile.run({ id: profile.id, ...serializeProfile(profile) });
    await this.indexTerms(profile, indexedBefore);
  }

  /**
   * Folds story `from` into `into` (the older one): its items, votes and search entry move, its id
   * resolves to `into` from now on (digests, feedback buttons and links keep working), and `into` is
   * re-tagged, re-indexed and, when its coverage grew enough, summarized again by the usual rule. The
   * merged profile is stored by `saveProfile`.
   */
  async merge(from: number, into: number, now: Date, batch?: Placements): Promise<void> {
    if (batch) await this.flush(batch, now); // the recount below reads the stories' links
    await this.s.moveItems.run(into, from);
    await this.s.moveFeedback.run({ from, into });
    await this.s.redirectTo.run(into, from);
    await this.s.redirect.run(from, into, now.toISOString());
    await this.s.ftsDelete.run(from);
    await this.s.triDelete.run(from);
    await this.s.remove.run(from);
    await this.s.recount.run({ id: into, now: now.toISOString() });
  }

  /** The live story an id now stands for: itself, or the story it was merged into. */
  async resolve(id: number): Promise<number> {
    let current = id;
    for (let hops = 0; hops < 50; hops++) {
      const next = ((await this.s.mergedInto.get(current)) as { id: number } | undefined)?.id;
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }

  /** For each URL, the story that already holds an item with it, in one statement. */
  async storiesWithUrls(canonicalUrls: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < canonicalUrls.length; i += 500) {
      const rows = (await this.s.byUrls.all(JSON.stringify(canonicalUrls.slice(i, i + 500)))) as {
        url: string;
        id: number | null;
      }[];
      for (const r of rows) if (r.id !== null) out.set(r.url, r.id);
    }
    return out;
  }

  /** One story's clustering profile (also for a story older than the window, joined by URL). */
  async candidate(id: number): Promise<StoryProfile | undefined> {
    const r = (await this.s.candidate.get(id)) as CandidateRow | undefined;
    return r && toProfile(r);
  }

  /** A story by id; an id merged into another story gives that story. */
  async get(id: number): Promise<Story | undefined> {
    const r = ((await this.s.byId.get(id)) ?? (await this.s.byId.get(await this.resolve(id)))) as StoryRow | undefined;
    return r && toStory(r);
  }

  /** Stories first seen or updated since a time, newest first; with a team, only those it can see. */
  async listSince(since: Date, limit = 500, team?: string): Promise<Story[]> {
    const params = { since: since.toISOString(), limit };
    const rows =
      team === undefined ? await this.s.since.all(params) : await this.s.sinceForTeam.all({ ...params, team });
    return (rows as StoryRow[]).map(toStory);
  }

  /**
   * A story's sources, oldest first; big stories are capped (display, summaries and search need the first
   * ones). With a team, only sources from its feeds and the built-in sources: another team's feeds stay theirs.
   */
  async sources(storyId: number, limit = 100, team?: string): Promise<StorySource[]> {
    const rows =
      team === undefined
        ? await this.s.sources.all(storyId, limit)
        : await this.s.sourcesForTeam.all({ id: storyId, limit, team });
    return (rows as SourceRow[]).map(toSource);
  }

  /**
   * Each story's first linked source URL, as `sources(id, limit, team)` would give it (the first source with a
   * URL among the first `limit`), for many stories in one statement: search links every hit, and on
   * PostgreSQL a statement per hit is a round trip per hit. Stories without one are left out.
   */
  async firstSourceUrls(storyIds: number[], limit = 100, team?: string): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (storyIds.length === 0) return out;
    const visible =
      team === undefined
        ? ''
        : `AND (f.kind = 'builtin' OR EXISTS (SELECT 1 FROM team_feeds vtf WHERE vtf.team_id = ? AND vtf.feed_id = si.feed_id))`;
    const rows = await this.sql.all<{ id: number; url: string | null }>(
      `SELECT st.id, (SELECT x.url FROM (
           SELECT i.url, si.published_at, si.item_id
           FROM story_items si JOIN items i ON i.id = si.item_id JOIN feeds f ON f.id = i.feed_id
           WHERE si.story_id = st.id ${visible} ORDER BY si.published_at, si.item_id LIMIT ?) x
         WHERE x.url IS NOT NULL AND x.url != '' ORDER BY x.published_at, x.item_id LIMIT 1) AS url
       FROM stories st WHERE st.id IN ${jsonValues(this.sql, 'int')}`,
      [...(team === undefined ? [] : [team]), limit, JSON.stringify(storyIds)],
    );
    for (const r of rows) if (r.url) out.set(r.id, r.url);
    return out;
  }

  /** Which of these stories the team can see (a story with an item from its feeds or a built-in source). */
  async visibleTo(team: string, ids: number[]): Promise<Set<number>> {
    const out = new Set<number>();
    // Plain placeholders (no JSON table function), so the text is the same in both engines.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.sql.all<{ id: number }>(
        `SELECT id FROM stories WHERE id IN (${chunk.map(() => '?').join(', ')}) AND ${storyVisibleTo('stories.id', '?')}`,
        [...chunk, team],
      );
      for (const r of rows) out.add(r.id);
    }
    return out;
  }

  /** The sources with these item ids, in the order given. */
  async sourcesOf(itemIds: number[]): Promise<StorySource[]> {
    const rows = new Map(
      ((await this.s.byItems.all(JSON.stringify(itemIds))) as SourceRow[]).map(
        (r) => [r.item_id, toSource(r)] as const,
      ),
    );
    return itemIds.map((id) => rows.get(id)).filter((x): x is StorySource => x !== undefined);
  }

  /** Stories never summarized, and those whose coverage at least doubled (to 3+ sources) since their one summary. */
  async needingSummary(limit = 1000): Promise<Story[]> {
    return ((await this.s.needing.all(limit)) as StoryRow[]).map(toStory);
  }

  /** Which of these stories still need a summary (read again after claiming them). */
  async stillNeedingSummary(ids: readonly number[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (let i = 0; i < ids.length; i += 1000)
      for (const r of (await this.s.stillNeedMany.all(JSON.stringify(ids.slice(i, i + 1000)))) as { id: number }[])
        out.add(r.id);
    return out;
  }

  /** Stores summaries and rewrites those stories' search entries, in one transaction. */
  async setSummaries(list: readonly (SummaryWrite & { id: number })[]): Promise<void> {
    if (list.length === 0) return;
    await this.sql.write(async () => {
      for (const s of list)
        await this.s.setSummary.run({
          id: s.id,
          summary: s.summary,
          source: s.source,
          reason: s.reason,
          model: s.model,
          language: s.language,
          headline: s.headline ?? null,
        });
      await this.reindexMany(list.map((s) => s.id));
    });
  }

  /**
   * Rewrites stories' search entries from their titles, summaries and their first 100 sources' titles and
   * leads, a hundred stories per few statements (stories that no longer exist lose their entries).
   */
  async reindexMany(ids: readonly number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += ENTRIES_PER_STATEMENT) {
      const chunk = JSON.stringify(ids.slice(i, i + ENTRIES_PER_STATEMENT));
      const stories = (await this.s.entries.all(chunk)) as { id: number; title: string; summary: string | null }[];
      const sources = await this.firstRows<{ title: string; lead: string }>(
        stories.map((st) => st.id),
        100,
        'i.title, substr(i.text, 1, 300) AS lead',
        this.s.searchSources,
      );
      await this.s.ftsDeleteMany.run(chunk);
      await this.s.triDeleteMany.run(chunk);
      if (stories.length === 0) continue;
      const fts: SqlValue[] = [];
      const trigram: SqlValue[] = [];
      for (const st of stories) {
        const text = (sources.get(st.id) ?? []).map((x) => `${x.title} ${x.lead}`).join('\n');
        fts.push(st.id, st.title, st.summary ?? '', text);
        // The trigram index only pays for itself on text without spaces between words.
        const body = `${st.summary ?? ''}\n${text}`;
        if (/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/.test(st.title + body))
          trigram.push(st.id, st.title, body);
      }
      await this.sql.run(
        `INSERT INTO stories_fts (rowid, title, summary, sources) VALUES ${rowsOf(fts.length / 4, 4)}`,
        fts,
      );
      if (trigram.length > 0)
        await this.sql.run(
          `INSERT INTO stories_trigram (rowid, title, body) VALUES ${rowsOf(trigram.length / 3, 3)}`,
          trigram,
        );
    }
  }

  /**
   * Each story's first `limit` rows of `columns` in index order (see firstRowsOfStories): one statement
   * on PostgreSQL, `single` (the same columns for one story, taking id and limit) per story on SQLite.
   */
  private async firstRows<T>(
    storyIds: readonly number[],
    limit: number,
    columns: string,
    single: Statement,
  ): Promise<Map<number, T[]>> {
    const out = new Map<number, T[]>();
    if (this.sql.engine === 'sqlite') {
      for (const id of storyIds) out.set(id, (await single.all(id, limit)) as T[]);
      return out;
    }
    for (const id of storyIds) out.set(id, []);
    for (let i = 0; i < storyIds.length; i += ENTRIES_PER_STATEMENT) {
      const rows = await this.sql.all<T & { story_id: number; order_at: string; order_id: number }>(
        firstRowsOfStories(this.sql, columns),
        [JSON.stringify(storyIds.slice(i, i + ENTRIES_PER_STATEMENT)), limit],
      );
      rows.sort(
        (a, b) =>
          a.story_id - b.story_id ||
          (a.order_at < b.order_at ? -1 : a.order_at > b.order_at ? 1 : 0) ||
          a.order_id - b.order_id,
      );
      for (const r of rows) out.get(r.story_id)?.push(r);
    }
    return out;
  }

  /** Each story's first sources as (item, feed, language), oldest first, for many stories: what choosing sources needs, without their text. */
  async sourceRefsOf(
    storyIds: readonly number[],
    limit = 100,
  ): Promise<Map<number, { itemId: number; feedId: number; language: string | null }[]>> {
    const rows = await this.firstRows<{ item_id: number; feed_id: number; language: string | null }>(
      storyIds,
      limit,
      'si.item_id, si.feed_id, i.language',
      this.s.refs,
    );
    return new Map(
      [...rows].map(([id, list]) => [
        id,
        list.map((r) => ({ itemId: r.item_id, feedId: r.feed_id, language: r.language })),
      ]),
    );
  }

  async count(): Promise<number> {
    return ((await this.s.count.get()) as { n: number }).n;
  }

  /**
   * Stories first seen in [from, to) and published since `publishedSince` (so a feed's old backlog is not
   * news); with a team, only those it can see.
   */
  async firstSeenBetween(from: Date, to: Date, publishedSince: Date, limit = 1000, team?: string): Promise<Story[]> {
    const params = {
      from: from.toISOString(),
      to: to.toISOString(),
      publishedSince: publishedSince.toISOString(),
      limit,
    };
    const rows =
      team === undefined ? await this.s.window.all(params) : await this.s.windowForTeam.all({ ...params, team });
    return (rows as StoryRow[]).map(toStory);
  }

  /** Publication time of each story published in [from, to); with a team, only those it can see. */
  async publishedBetween(from: Date, to: Date, team?: string): Promise<Map<number, string>> {
    const rows =
      team === undefined
        ? await this.s.dates.all(from.toISOString(), to.toISOString())
        : await this.s.datesForTeam.all({ from: from.toISOString(), to: to.toISOString(), team });
    return new Map((rows as { id: number; published_at: string }[]).map((r) => [r.id, r.published_at]));
  }

  /** Stories whose tags are missing or older than their last item. */
  async needingTags(limit = 5000): Promise<number[]> {
    return ((await this.s.untagged.all(limit)) as { id: number }[]).map((r) => r.id);
  }

  /** Records that these stories' tags are current for the items they have now. */
  async markTagged(...ids: number[]): Promise<void> {
    if (ids.length > 0) await this.s.markTagged.run(JSON.stringify(ids));
  }
}
