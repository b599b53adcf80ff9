import type { ListedModel } from '../feeds/parse-model-list.js';
import { insertReturningId, type Sql, statement } from './sql.js';

/** A model as the list showed it at the last read. */
export interface StoredModel {
  modelId: string;
  canonicalSlug: string | null;
  name: string;
  author: string;
  huggingFaceId: string | null;
  contextLength: number | null;
  promptPrice: number | null;
  completionPrice: number | null;
  expirationDate: string | null;
  seenAt: string;
}

/** The kinds of model-list change, from a new listing to weights appearing on Hugging Face. */
export type ChangeKind = 'new' | 'removed' | 'price' | 'context' | 'deprecation' | 'openness';

/** One change between two reads of the model list; `before`/`after` are JSON values. */
export interface ModelChange {
  id: number;
  model: string;
  kind: ChangeKind;
  before: unknown;
  after: unknown;
  at: string;
}

interface Row {
  model_id: string;
  canonical_slug: string | null;
  name: string;
  author: string;
  hugging_face_id: string | null;
  context_length: number | null;
  prompt_price: number | null;
  completion_price: number | null;
  expiration_date: string | null;
  seen_at: string;
}

interface ChangeRow {
  id: number;
  model_id: string;
  kind: ChangeKind;
  before: string;
  after: string;
  at: string;
}

const toModel = (r: Row): StoredModel => ({
  modelId: r.model_id,
  canonicalSlug: r.canonical_slug,
  name: r.name,
  author: r.author,
  huggingFaceId: r.hugging_face_id,
  contextLength: r.context_length,
  promptPrice: r.prompt_price,
  completionPrice: r.completion_price,
  expirationDate: r.expiration_date,
  seenAt: r.seen_at,
});

const toChange = (r: ChangeRow): ModelChange => ({
  id: r.id,
  model: r.model_id,
  kind: r.kind,
  before: JSON.parse(r.before) as unknown,
  after: JSON.parse(r.after) as unknown,
  at: r.at,
});

/** The model list as last read (the baseline of the next comparison) and the changes found between reads. */
export class ModelListRepository {
  private readonly s;
  private readonly sql: Sql;

  constructor(sql: Sql) {
    this.sql = sql;
    this.s = {
      all: statement(sql, 'SELECT * FROM model_list ORDER BY model_id'),
      count: statement(sql, 'SELECT count(*) AS n FROM model_list'),
      clear: statement(sql, 'DELETE FROM model_list'),
      insert: statement(
        sql,
        `INSERT INTO model_list (model_id, canonical_slug, name, author, hugging_face_id, context_length, prompt_price,
           completion_price, expiration_date, seen_at)
         VALUES (@id, @canonicalSlug, @name, @author, @huggingFaceId, @contextLength, @promptPrice, @completionPrice,
           @expirationDate, @now)`,
      ),
      change: statement(
        sql,
        insertReturningId(
          sql,
          'INSERT INTO model_changes (model_id, kind, before, after, at) VALUES (@model, @kind, @before, @after, @at)',
        ),
      ),
      between: statement(sql, 'SELECT * FROM model_changes WHERE at >= ? AND at < ? ORDER BY at DESC, id'),
      since: statement(sql, 'SELECT * FROM model_changes WHERE at > ? ORDER BY at, id'),
    };
  }

  /** The list as last read. */
  async all(): Promise<StoredModel[]> {
    return ((await this.s.all.all()) as Row[]).map(toModel);
  }

  async count(): Promise<number> {
    return ((await this.s.count.get()) as { n: number }).n;
  }

  /**
   * Stores a read: the list replaces the stored one and the changes found are recorded, in one
   * transaction (a crash keeps the old list, so the next read finds the same changes). Returns their ids.
   */
  async replace(models: ListedModel[], changes: Omit<ModelChange, 'id' | 'at'>[], now: Date): Promise<number[]> {
    const at = now.toISOString();
    return this.sql.write(async () => {
      await this.s.clear.run();
      const seen = new Set<string>();
      for (const m of models) {
        if (seen.has(m.id)) continue; // a list repeating an id keeps its first entry
        seen.add(m.id);
        await this.s.insert.run({
          id: m.id,
          canonicalSlug: m.canonicalSlug,
          name: m.name,
          author: m.author,
          huggingFaceId: m.huggingFaceId,
          contextLength: m.contextLength,
          promptPrice: m.promptPrice,
          completionPrice: m.completionPrice,
          expirationDate: m.expirationDate,
          now: at,
        });
      }
      const ids: number[] = [];
      for (const c of changes) {
        const r = await this.s.change.run({
          model: c.model,
          kind: c.kind,
          before: JSON.stringify(c.before ?? null),
          after: JSON.stringify(c.after ?? null),
          at,
        });
        ids.push(Number(r.lastId));
      }
      return ids;
    });
  }

  /** Changes recorded in [from, to), newest first. */
  async changesBetween(from: Date, to: Date): Promise<ModelChange[]> {
    return ((await this.s.between.all(from.toISOString(), to.toISOString())) as ChangeRow[]).map(toChange);
  }

  /** Model changes recorded after `since`, oldest first: what a watch rule (`kind:change`) has not yet seen. */
  async changesSince(since: Date): Promise<ModelChange[]> {
    return ((await this.s.since.all(since.toISOString())) as ChangeRow[]).map(toChange);
  }
}
