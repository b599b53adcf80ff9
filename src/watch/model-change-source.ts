import type { Services } from '../compose.js';

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
  changesBetween(from: Date, to: Date): ModelChange[];
}

/**
 * The change source the services offer, or null while model-list change tracking does not exist in
 * this build. The one place change tracking (issue 14) plugs in: return an adapter over its store here.
 */
export function modelChangeSource(_s: Services): ModelChangeSource | null {
  return null;
}
