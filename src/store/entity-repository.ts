import { jsonValues, type Sql, type SqlValue, statement } from './sql.js';

/** Rows per multi-row INSERT of story tags: few statement texts to cache, well under any parameter limit. */
const LINKS_PER_STATEMENT = 100;

export type EntityKind = 'lab' | 'family' | 'version' | 'origin' | 'openness';

/**
 * One tag of a story. `about`: a source names it in its title or lead, not as a comparison; `mention`:
 * only further down or as a comparison. Defaults to about.
 */
export interface Tag {
  kind: EntityKind;
  key: string;
  name: string;
  role?: 'about' | 'mention';
}

// What a story is about: its about-tags, or everything it names when no lab is about (a report whose
// headline names no lab). Digest labels, topic filters, trends and feedback read this; search reads all.
const ABOUT = `(se.role = 'about' OR NOT EXISTS (SELECT 1 FROM story_entities x JOIN entities ex ON ex.id = x.entity_id
  WHERE x.story_id = se.story_id AND x.role = 'about' AND ex.kind = 'lab'))`;

/** Stories' entity tags, and counts over time windows for trends and filters. */
export class EntityRepository {
  private readonly s;
  private readonly ids = new Map<string, number>();

  constructor(private readonly sql: Sql) {
    this.s = {
      upsert: statement(
        sql,
        'INSERT INTO entities (kind, key, name) VALUES (?, ?, ?) ON CONFLICT(kind, key) DO UPDATE SET name = excluded.name RETURNING id',
      ),
      clearMany: statement(sql, `DELETE FROM story_entities WHERE story_id IN ${jsonValues(sql, 'int')}`),
      // A story's origin and openness tags, copied to its row for search (0020), from the rows just written.
      filterTags: statement(
        sql,
        `UPDATE stories SET filter_tags = (
           SELECT ${
             sql.engine === 'sqlite'
               ? 'json_group_array(json_array(e.kind, e.key) ORDER BY e.kind, e.key)'
               : 'json_agg(json_build_array(e.kind, e.key) ORDER BY e.kind, e.key)::text'
           }
           FROM story_entities se JOIN entities e ON e.id = se.entity_id
           WHERE se.story_id = stories.id AND e.kind IN ('origin', 'openness')
           HAVING count(*) > 0)
         WHERE id IN ${jsonValues(sql, 'int')}`,
      ),
      ofStory: statement(
        sql,
        `SELECT e.kind, e.key, e.name, se.role FROM story_entities se JOIN entities e ON e.id = se.entity_id
         WHERE se.story_id = ? AND ${ABOUT} ORDER BY e.kind, e.key`,
      ),
      allOfStory: statement(
        sql,
        `SELECT e.kind, e.key, e.name, se.role FROM story_entities se JOIN entities e ON e.id = se.entity_id
         WHERE se.story_id = ? ORDER BY se.role, e.kind, e.key`,
      ),
      inWindow: statement(
        sql,
        `SELECT s.id AS story_id, e.kind, e.key, e.name FROM stories s
           JOIN story_entities se ON se.story_id = s.id JOIN entities e ON e.id = se.entity_id
         WHERE s.published_at >= ? AND s.published_at < ? AND ${ABOUT}`,
      ),
      storiesInWindow: statement(sql, 'SELECT count(*) AS n FROM stories WHERE published_at >= ? AND published_at < ?'),
    };
  }

  private async entityId(t: Tag): Promise<number> {
    const cacheKey = `${t.kind}\u0000${t.key}`;
    const known = this.ids.get(cacheKey);
    if (known !== undefined) return known;
    const id = ((await this.s.upsert.get(t.kind, t.key, t.name)) as { id: number }).id;
    this.ids.set(cacheKey, id);
    return id;
  }

  /**
   * Replaces the tags of each story in `tagged`: one DELETE and a few multi-row INSERTs for all of them
   * (a tagging slice writes fifty stories' tags; a statement per tag was most of its store time), and one
   * UPDATE that copies their origin and openness tags to the stories' rows.
   */
  async tagStories(tagged: ReadonlyMap<number, readonly Tag[]>): Promise<void> {
    if (tagged.size === 0) return;
    const rows: SqlValue[][] = [];
    for (const [storyId, tags] of tagged)
      for (const t of tags) rows.push([storyId, await this.entityId(t), t.role ?? 'about', storyId]);
    await this.sql.write(async () => {
      await this.s.clearMany.run(JSON.stringify([...tagged.keys()]));
      for (let i = 0; i < rows.length; i += LINKS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + LINKS_PER_STATEMENT);
        // Each row carries its story's date (0019: an entity's newest stories come straight from its index).
        await this.sql.run(
          `INSERT INTO story_entities (story_id, entity_id, role, published_at)
           VALUES ${chunk.map(() => '(?, ?, ?, (SELECT published_at FROM stories WHERE id = ?))').join(', ')}
           ON CONFLICT DO NOTHING`,
          chunk.flat(),
        );
      }
      await this.s.filterTags.run(JSON.stringify([...tagged.keys()]));
    });
  }

  /** What a story is about (see ABOUT): labels, filters and rankings use these. */
  async tagsOf(storyId: number): Promise<Tag[]> {
    return (await this.s.ofStory.all(storyId)) as Tag[];
  }

  /** Every tag of a story, about and mentioned, with its role. */
  async allTagsOf(storyId: number): Promise<Tag[]> {
    return (await this.s.allOfStory.all(storyId)) as Tag[];
  }

  /** Every (story, tag) pair for stories published in [from, to). */
  async tagsInWindow(from: Date, to: Date): Promise<(Tag & { storyId: number })[]> {
    return ((await this.s.inWindow.all(from.toISOString(), to.toISOString())) as (Tag & { story_id: number })[]).map(
      (r) => ({
        storyId: r.story_id,
        kind: r.kind,
        key: r.key,
        name: r.name,
      }),
    );
  }

  async storiesInWindow(from: Date, to: Date): Promise<number> {
    return ((await this.s.storiesInWindow.get(from.toISOString(), to.toISOString())) as { n: number }).n;
  }
}
