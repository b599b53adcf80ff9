import type { Entities } from '../catalog/match-entities.js';
import type { Services } from '../compose.js';
import { yieldToLoop } from '../core/yield-to-loop.js';
import type { Tag } from '../store/entity-repository.js';
import type { ModelRelease } from '../store/release-repository.js';
import { serialize } from '../store/sql.js';
import { createItemMatcher, type ItemMatcher } from './item-matcher.js';

const ORIGIN_NAMES: Record<string, string> = { US: 'United States', CN: 'China', EU: 'Europe', other: 'Other' };
/** Stories tagged per transaction; the event loop runs between two slices. */
const TAG_SLICE = 50;
/** Sources of a story read for its tags: the first ones carry its names; later reports repeat them. */
const TAGGED_SOURCES = 20;

/**
 * Tags each story that needs it (new, or grown since last tagged) with the labs, model families, versions,
 * origins and openness its first 20 sources name, whole text read: each as `about` (a title or lead names
 * it, not as a comparison) or `mention`. A model-list release adds its own openness: weights on Hugging
 * Face or not. Works in slices, each read and written in one IMMEDIATE transaction, yielding to the
 * event loop between them; a story costs the same however many items it has. Sources whose catalog
 * reading `matchItem` still holds (clustering just read them) are not read again from the store.
 */
export async function tagStories(s: Services, matchItem: ItemMatcher = createItemMatcher(s.matcher)): Promise<number> {
  let tagged = 0;
  for (let round = 0; round < 10_000; round++) {
    const n = await s.sql.write(async (tx) => {
      await serialize(tx, 'tag');
      const ids = await s.stories.needingTags(TAG_SLICE);
      await tagSlice(s, ids, matchItem);
      return ids.length;
    });
    if (n === 0) break;
    tagged += n;
    await yieldToLoop();
  }
  return tagged;
}

/** Tags a slice of stories: their sources' readings, their releases, then one write for all their tags. */
async function tagSlice(s: Services, ids: number[], matchItem: ItemMatcher): Promise<void> {
  const refs = new Map(
    [...(await s.stories.sourceRefsOf(ids, TAGGED_SOURCES))].map(([id, list]) => [id, list.map((r) => r.itemId)]),
  );
  const itemIds = [...new Set([...refs.values()].flat())];
  const readings = new Map<number, Entities>();
  for (const itemId of itemIds) {
    const e = matchItem.known(itemId);
    if (e) readings.set(itemId, e);
  }
  const unread = itemIds.filter((itemId) => !readings.has(itemId));
  for (let i = 0; i < unread.length; i += 200)
    for (const src of await s.stories.sourcesOf(unread.slice(i, i + 200)))
      readings.set(src.itemId, matchItem(src.itemId, src.title, src.text));
  const releases = await s.releases.forItems(itemIds);
  const tagged = new Map<number, Tag[]>();
  for (const [id, items] of refs) tagged.set(id, storyTags(s, items, readings, releases));
  await s.entities.tagStories(tagged);
  // Tagged as of its item count now: a story with more items than were read is not re-tagged every cycle.
  await s.stories.markTagged(...ids);
  await s.stories.reindexMany(ids); // new sources are searchable before the story is summarized again
}

/** One story's tags from its sources' readings; a tag any source is about stays about. */
function storyTags(
  s: Services,
  itemIds: number[],
  readings: Map<number, Entities>,
  releases: Map<number, ModelRelease>,
): Tag[] {
  const tags = new Map<string, Tag>();
  const add = (t: Tag) => {
    const key = `${t.kind}:${t.key}`;
    const prior = tags.get(key);
    if (!prior || (prior.role === 'mention' && t.role !== 'mention')) tags.set(key, t);
  };
  for (const itemId of itemIds) {
    const e = readings.get(itemId);
    if (!e) continue; // removed between the two reads (prune); its story is re-tagged when it changes again
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
    const release = releases.get(itemId);
    if (release?.openness) add({ kind: 'openness', key: release.openness, name: release.openness });
    else for (const o of e.openness) add({ kind: 'openness', key: o, name: o });
    if (release?.origin)
      add({ kind: 'origin', key: release.origin, name: ORIGIN_NAMES[release.origin] ?? release.origin });
    if (release?.labId)
      add({ kind: 'lab', key: release.labId, name: s.matcher.lab(release.labId)?.name ?? release.labId });
  }
  return [...tags.values()];
}
