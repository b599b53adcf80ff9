import type { Entities } from '../catalog/match-entities.js';
import type { Services } from '../compose.js';
import type { Tag } from '../store/entity-repository.js';

const ORIGIN_NAMES: Record<string, string> = { US: 'United States', CN: 'China', EU: 'Europe', other: 'Other' };

/**
 * Tags each story that needs it (new, or grown since last tagged) with the labs, model families, versions, origins and openness its sources name
 * (title and lead of up to 20 items). A model-list release adds its own openness: weights on Hugging
 * Face or not.
 */
export function tagStories(
  s: Services,
  matchItem: (itemId: number, title: string, text: string) => Entities = (_id, title, text) =>
    s.matcher.match(title, text),
): number {
  let tagged = 0;
  for (const id of s.stories.needingTags()) {
    const tags = new Map<string, Tag>();
    const add = (t: Tag) => tags.set(`${t.kind}:${t.key}`, t);
    const sources = s.stories.sources(id);
    for (const src of sources.slice(0, 20)) {
      const e = matchItem(src.itemId, src.title, src.text);
      for (const labId of e.labs) add({ kind: 'lab', key: labId, name: s.matcher.lab(labId)?.name ?? labId });
      for (const f of e.families) {
        const family = s.matcher
          .lab(e.labs.find((l) => s.matcher.lab(l)?.families.some((x) => x.id === f)) ?? '')
          ?.families.find((x) => x.id === f);
        add({ kind: 'family', key: f, name: family?.name ?? f });
      }
      for (const v of e.versions) if (!tags.has(`version:${v.key}`)) add({ kind: 'version', key: v.key, name: v.name });
      for (const o of e.origins) add({ kind: 'origin', key: o, name: ORIGIN_NAMES[o] ?? o });
      const release = s.releases.forItem(src.itemId);
      if (release?.openness) add({ kind: 'openness', key: release.openness, name: release.openness });
      else for (const o of e.openness) add({ kind: 'openness', key: o, name: o });
      if (release?.origin)
        add({ kind: 'origin', key: release.origin, name: ORIGIN_NAMES[release.origin] ?? release.origin });
      if (release?.labId)
        add({ kind: 'lab', key: release.labId, name: s.matcher.lab(release.labId)?.name ?? release.labId });
    }
    s.db.transaction(() => {
      s.entities.tagStory(id, [...tags.values()]);
      s.stories.markTagged(id, sources.length);
      s.stories.reindex(id); // new sources are searchable before the story is summarized again
    })();
    tagged++;
  }
  return tagged;
}
