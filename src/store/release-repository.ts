import { jsonValues, type Sql, statement } from './sql.js';

/** A model seen in a structured model list. */
export interface ModelRelease {
  id: number;
  feedId: number | null;
  modelId: string;
  name: string;
  author: string | null;
  labId: string | null;
  origin: string | null;
  openness: string | null;
  huggingFaceId: string | null;
  contextLength: number | null;
  promptPrice: number | null;
  completionPrice: number | null;
  listedAt: string | null;
  firstSeenAt: string;
  baseline: boolean;
  itemId: number | null;
  url: string | null;
}

export type NewRelease = Omit<ModelRelease, 'id' | 'itemId' | 'firstSeenAt'>;

interface Row {
  id: number;
  feed_id: number | null;
  model_id: string;
  name: string;
  author: string | null;
  lab_id: string | null;
  origin: string | null;
  openness: string | null;
  hugging_face_id: string | null;
  context_length: number | null;
  prompt_price: number | null;
  completion_price: number | null;
  listed_at: string | null;
  first_seen_at: string;
  baseline: number;
  item_id: number | null;
  url: string | null;
}

function toRelease(r: Row): ModelRelease {
  return {
    id: r.id,
    feedId: r.feed_id,
    modelId: r.model_id,
    name: r.name,
    author: r.author,
    labId: r.lab_id,
    origin: r.origin,
    openness: r.openness,
    huggingFaceId: r.hugging_face_id,
    contextLength: r.context_length,
    promptPrice: r.prompt_price,
    completionPrice: r.completion_price,
    listedAt: r.listed_at,
    firstSeenAt: r.first_seen_at,
    baseline: r.baseline === 1,
    itemId: r.item_id,
    url: r.url,
  };
}

/** Model releases from model lists: the first read of a list is a baseline, later additions are news. */
export class ReleaseRepository {
  private readonly s;

  constructor(sql: Sql) {
    this.s = {
      insert: statement(
        sql,
        `INSERT INTO model_releases (feed_id, model_id, name, author, lab_id, origin, openness, hugging_face_id, context_length,
           prompt_price, completion_price, listed_at, first_seen_at, baseline, url)
         VALUES (@feedId, @modelId, @name, @author, @labId, @origin, @openness, @huggingFaceId, @contextLength,
           @promptPrice, @completionPrice, @listedAt, @now, @baseline, @url)
         ON CONFLICT(model_id) DO NOTHING RETURNING *`,
      ),
      known: statement(sql, 'SELECT model_id FROM model_releases'),
      countForFeed: statement(sql, 'SELECT count(*) AS n FROM model_releases WHERE feed_id = ?'),
      byItem: statement(sql, 'SELECT * FROM model_releases WHERE item_id = ?'),
      byItems: statement(sql, `SELECT * FROM model_releases WHERE item_id IN ${jsonValues(sql, 'int')}`),
      // Stops at the first item that is not a release, rather than counting a big story's items.
      nonRelease: statement(
        sql,
        'SELECT 1 AS found FROM story_items si WHERE si.story_id = ? AND NOT EXISTS (SELECT 1 FROM model_releases r WHERE r.item_id = si.item_id) LIMIT 1',
      ),
      setItem: statement(sql, 'UPDATE model_releases SET item_id = ? WHERE id = ?'),
      after: statement(
        sql,
        'SELECT * FROM model_releases WHERE baseline = 0 AND first_seen_at > ? ORDER BY first_seen_at, id',
      ),
      since: statement(
        sql,
        'SELECT * FROM model_releases WHERE baseline = 0 AND first_seen_at >= ? AND first_seen_at < ? ORDER BY first_seen_at DESC, id DESC',
      ),
    };
  }

  async knownIds(): Promise<Set<string>> {
    return new Set(((await this.s.known.all()) as { model_id: string }[]).map((r) => r.model_id));
  }

  async countForFeed(feedId: number): Promise<number> {
    return ((await this.s.countForFeed.get(feedId)) as { n: number }).n;
  }

  /** Records a model once; returns it when it was new. */
  async add(r: NewRelease, now: Date): Promise<ModelRelease | undefined> {
    const row = (await this.s.insert.get({ ...r, baseline: r.baseline ? 1 : 0, now: now.toISOString() })) as
      | Row
      | undefined;
    return row && toRelease(row);
  }

  /** The release an item announces, if it is one. */
  async forItem(itemId: number): Promise<ModelRelease | undefined> {
    const r = (await this.s.byItem.get(itemId)) as Row | undefined;
    return r && toRelease(r);
  }

  /** The releases these items announce, by item id (items announcing none are left out). */
  async forItems(itemIds: readonly number[]): Promise<Map<number, ModelRelease>> {
    const out = new Map<number, ModelRelease>();
    for (let i = 0; i < itemIds.length; i += 1000)
      for (const r of (await this.s.byItems.all(JSON.stringify(itemIds.slice(i, i + 1000)))) as Row[])
        if (r.item_id !== null) out.set(r.item_id, toRelease(r));
    return out;
  }

  /** True when every item of a story is a model-list entry (it belongs in "New models", not top stories). */
  async releaseOnly(storyId: number): Promise<boolean> {
    return (await this.s.nonRelease.get(storyId)) === undefined;
  }

  async linkItem(releaseId: number, itemId: number): Promise<void> {
    await this.s.setItem.run(itemId, releaseId);
  }

  /** Releases (not baseline) first seen after `since`, oldest first: what a watch rule (`kind:release`) has not yet seen. */
  async releasesSince(since: Date): Promise<ModelRelease[]> {
    return ((await this.s.after.all(since.toISOString())) as Row[]).map(toRelease);
  }

  /** Releases (not baseline) first seen in [from, to), newest first. */
  async between(from: Date, to: Date): Promise<ModelRelease[]> {
    return ((await this.s.since.all(from.toISOString(), to.toISOString())) as Row[]).map(toRelease);
  }
}
