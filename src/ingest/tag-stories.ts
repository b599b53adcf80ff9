import type { Entities } from '../catalog/match-entities.js';
import type { Services } from '../compose.js';
import { yieldToLoop } from '../core/yield-to-loop.js';
import type { Tag } from '../store/entity-repository.js';
import { serialize } from '../store/sql.js';

const ORIGIN_NAMES: Record<string, string> = { US: 'United States', CN: 'China', EU: 'Europe', other: 'Other' };
/** Stories tagged per transaction; the event loop runs between two slices. */
const TAG_SLICE = 50;
/** Sources of a story read for its tags: the first ones carry its names; later reports repeat them. */
const TAGGED_SOURCES = 20;

type MatchItem = (itemId: number, title: string, text: string) => Entities;

/**
 * Tags each story that needs it (new, or grown since last tagged) with the labs, model families, versions,
 * origins and openness its first 20 sources name, whole text read: each as `about` (a title or lead names
 * it, not as a comparison) or `mention`. A model-list release adds its own openness: weights on Hugging
 * Face or not. Works in slices, each read and written in one IMMEDIATE transaction, yielding to the
 * event loop between them; a story costs the same however many items it has.
 */
export async function tagStories(
  s: Services,
  matchItem: MatchItem = (_id, title, text) => s.matcher.match(title, text),
): Promise<number> {
  let tagged = 0;
  for (let round = 0; round < 10_000; round++) {
    const n = await s.sql.write(async (tx) => {
      await serialize(tx, 'tag');
      const ids = await s.stories.needingTags(TAG_SLICE);
      for (const id of ids) await tagStory(s, id, matchItem);
      return ids.length;
    });
    if (n === 0) break;
    tagged += n;
    await yieldToLoop();
  }
  return tagged;
}

async function tagStory(s: Services, id: number, matchItem: MatchItem): Promise<void> {
  const tags = new Map<string, Tag>();
  // A tag any source is about stays about; one only mentioned everywhere is a mention.
  const add = (t: Tag) => {
    const key = `${t.kind}:${t.key}`;
    const prior = tags.get(key);
    if (!prior || (prior.role === 'mention' && t.role !== 'mention')) tags.set(key, t);
  };
  for (const src of await s.stories.sources(id, TAGGED_SOURCES)) {
    const e = await matchItem(src.itemId, src.title, src.text);
    const roleOf = (labId: string | undefined) => (labId && e.about.includes(labId) ? 'about' : 'mention');
    for (const labId of e.labs)
      add({ kind: 'lab', key: labId, name: s.matcher.lab(labId)?.name ?? labId, role: roleOf(labId) });
    for (const f of e.families) {
      const labId = e.labs.find((l) => s.matcher.lab(l)?.families.some((x) => x.id === f));
      const family = s.matcher.lab(labId ?? '')?.families.find((x) => x.id === f);
      add({ kind: 'family', key: f, name: family?.name ?? f, role: roleOf(labId) });
    }
    for (const v of e.versions) add({ kind: 'version', key: v.key, name: v.name, role: roleOf(v.labId) });
    for (const o of e.origins) add({ kind: 'origin', key: o, name: ORIGIN_NAMES[o] ?? o });
    const release = await s.releases.forItem(src.itemId);
    if (release?.openness) add({ kind: 'openness', key: release.openness, name: release.openness });
    else for (const o of e.openness) add({ kind: 'openness', key: o, name: o });
    if (release?.origin)
      add({ kind: 'origin', key: release.origin, name: ORIGIN_NAMES[release.origin] ?? release.origin });
    if (release?.labId)
      add({ kind: 'lab', key: release.labId, name: s.matcher.lab(release.labId)?.name ?? release.labId });
  }
  await s.entities.tagStory(id, [...tags.values()]);
  // Tagged as of its item count now: a story with more items than were read is not re-tagged every cycle.
  await s.stories.markTagged(id);
  await s.stories.reindex(id); // new sources are searchable before the story is summarized again
}
