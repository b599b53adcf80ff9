import { originOf } from '../catalog/match-entities.js';
import { AUTHORS, type Services } from '../compose.js';
import { describeModelChange } from '../digest/describe-model-change.js';

/** One change to a model in a model list: a price, a context window, a removal, a deprecation… */
export interface ModelChange {
  id: number;
  modelId: string;
  name: string;
  labId: string | null;
  origin: string | null;
  openness: string | null;
  /** What changed, as a word: price, context, removed, deprecation, openness, … */
  change: string;
  /** One line for people, e.g. "input $0.40 → $0.30 per M tokens". */
  detail: string;
  url: string | null;
  /** When the change was first seen (ISO). */
  seenAt: string;
}

/** Where `kind:change` rules get their events: model-list change tracking. */
export interface ModelChangeSource {
  /** Changes first seen in [from, to), oldest first. */
  changesBetween(from: Date, to: Date): Promise<ModelChange[]>;
}

/**
 * The changes the built-in model list records (price, context, removal, deprecation, openness), or null
 * when that source is off. New listings are not changes here: they are releases (`kind:release`).
 */
export function modelChangeSource(s: Services): ModelChangeSource | null {
  if (!s.config.openRouter.modelsUrl) return null;
  return {
    async changesBetween(from, to) {
      const changes = (await s.modelList.changesBetween(from, to)).filter((c) => c.kind !== 'new');
      if (changes.length === 0) return [];
      const listed = new Map((await s.modelList.all()).map((m) => [m.modelId, m]));
      return changes.reverse().map((c) => {
        const model = listed.get(c.model);
        const labId = AUTHORS.get(c.model.split('/')[0]?.toLowerCase() ?? '') ?? null;
        const lab = labId ? s.matcher.lab(labId) : undefined;
        return {
          id: c.id,
          modelId: c.model,
          name: model?.name ?? c.model,
          labId,
          origin: lab ? originOf(lab.country) : null,
          openness: model ? (model.huggingFaceId ? 'open-weight' : 'closed') : null,
          change: c.kind,
          detail: describeModelChange(c),
          url: c.kind === 'removed' ? null : `https://openrouter.ai/${c.model}`,
          seenAt: c.at,
        };
      });
    },
  };
}
