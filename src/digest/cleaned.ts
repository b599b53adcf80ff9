import { stripControlSequences as clean } from '../summarize/sanitize-text.js';
import type { Digest } from './compose-digest.js';

/** The digest with every untrusted string stripped of Slack control sequences, for plain renderers. */
export function cleaned(d: Digest): Digest {
  return {
    ...d,
    pulse: clean(d.pulse),
    ...(d.modelChanges ? { modelChanges: d.modelChanges.map((c) => ({ ...c, text: clean(c.text) })) } : {}),
    stories: d.stories.map((s) => ({
      ...s,
      title: clean(s.title),
      summary: clean(s.summary),
      labs: s.labs.map((l) => clean(l)),
      sources: s.sources.map((x) => ({ ...x, title: clean(x.title), feed: x.feed === null ? null : clean(x.feed) })),
    })),
    newModels: d.newModels.map((m) => ({
      ...m,
      name: clean(m.name),
      lab: m.lab === null ? null : clean(m.lab),
      origin: clean(m.origin),
      openness: clean(m.openness),
    })),
  };
}
