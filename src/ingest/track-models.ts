import type { EntityMatcher } from '../catalog/match-entities.js';
import { originOf } from '../catalog/match-entities.js';
import type { Feed, NormalizedItem } from '../core/types.js';
import type { ListedModel } from '../feeds/parse-model-list.js';
import type { ItemRepository } from '../store/item-repository.js';
import type { ReleaseRepository } from '../store/release-repository.js';

/** The lab behind a model: the author prefix through the catalog, else the catalog matcher on its name. */
export function labOf(m: ListedModel, matcher: EntityMatcher, authors: Map<string, string>): string | null {
  return authors.get(m.author.toLowerCase()) ?? matcher.match(m.name).labs[0] ?? null;
}

function money(n: number | null): string {
  if (n === null) return '?';
  return n === 0 ? 'free' : `$${n < 1 ? n.toFixed(2) : n.toFixed(n < 10 ? 2 : 0)}`;
}

/** The item a new model becomes, so it flows through stories, tags and summaries like any news. */
export function releaseItem(m: ListedModel, labName: string | null, now: Date): NormalizedItem {
  const open = m.huggingFaceId ? `Open weights on Hugging Face (${m.huggingFaceId}).` : 'No open weights listed.';
  const context = m.contextLength ? `Context window: ${m.contextLength.toLocaleString('en-US')} tokens.` : '';
  const prices =
    m.promptPrice !== null || m.completionPrice !== null
      ? `Price: ${money(m.promptPrice)} input / ${money(m.completionPrice)} output per million tokens.`
      : '';
  const listed = m.createdAt && Date.parse(m.createdAt) <= now.getTime() ? m.createdAt : now.toISOString();
  const url = `https://openrouter.ai/${m.id}`;
  return {
    guid: `openrouter:${m.id}`,
    url,
    canonicalUrl: url,
    title: `New model: ${m.name}${labName && !m.name.toLowerCase().includes(labName.toLowerCase().split(' ')[0] ?? '') ? ` (${labName})` : ''}`,
    text: [m.description.replace(/\s+/g, ' ').trim(), open, context, prices].filter(Boolean).join(' '),
    author: m.author,
    language: 'en',
    publishedAt: listed,
    dateSource: 'feed',
    contentHash: `openrouter:${m.id}`,
  };
}

/**
 * Records every model of a list. The first read of a list is a baseline (the catalogue as it stands,
 * not news); later, each model not seen before becomes a release record and an item. Returns new item ids.
 */
export async function ingestModelList(
  deps: { items: ItemRepository; releases: ReleaseRepository; matcher: EntityMatcher; authors: Map<string, string> },
  feed: Feed,
  models: ListedModel[],
  now: Date,
  options: { baseline?: boolean } = {},
): Promise<{ newItemIds: number[]; baseline: number }> {
  const baseline = options.baseline === true || (await deps.releases.countForFeed(feed.id)) === 0;
  const known = await deps.releases.knownIds();
  const newItemIds: number[] = [];
  let recorded = 0;
  for (const m of models) {
    if (known.has(m.id)) continue;
    const labId = labOf(m, deps.matcher, deps.authors);
    const lab = labId ? deps.matcher.lab(labId) : undefined;
    const release = await deps.releases.add(
      {
        feedId: feed.id,
        modelId: m.id,
        name: m.name,
        author: m.author,
        labId,
        origin: lab ? originOf(lab.country) : null,
        openness: m.huggingFaceId ? 'open-weight' : 'closed',
        huggingFaceId: m.huggingFaceId,
        contextLength: m.contextLength,
        promptPrice: m.promptPrice,
        completionPrice: m.completionPrice,
        listedAt: m.createdAt,
        baseline,
        url: `https://openrouter.ai/${m.id}`,
      },
      now,
    );
    if (!release) continue;
    recorded++;
    if (baseline) continue;
    const [itemId] = await deps.items.insertMany(feed.id, [releaseItem(m, lab?.name ?? null, now)], now);
    if (itemId !== undefined) {
      await deps.releases.linkItem(release.id, itemId);
      newItemIds.push(itemId);
    }
  }
  return { newItemIds, baseline: baseline ? recorded : 0 };
}

/** OpenRouter author prefix → lab id, from the catalog. */
export function authorIndex(labs: { id: string; openrouterAuthors?: string[] }[]): Map<string, string> {
  return new Map(labs.flatMap((l) => (l.openrouterAuthors ?? []).map((a) => [a.toLowerCase(), l.id] as const)));
}
