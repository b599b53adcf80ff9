import type { Services } from '../compose.js';
import { labelsFor } from '../digest/labels.js';
import type { Tag } from '../store/entity-repository.js';
import type { StorySource } from '../store/story-repository.js';
import type { WatchEvent } from './match-watch-rule.js';
import type { WatchStoryView } from './render-watch.js';

/** A candidate story for watch rules; what matching and rendering need is read on first use. */
export interface StoryEvent {
  id: number;
  firstSeenAt: string;
  publishedAt: string;
  sourceCount: number;
  event(): Promise<WatchEvent>;
  /** The items the announcement shows (its sources now). */
  itemIds(): Promise<number[]>;
  /** With a team, the sources shown are only those from its feeds and the built-in sources. */
  view(language: string, team?: string): Promise<WatchStoryView>;
}

/** Stories first seen in [from, to] and published since `publishedSince`, as watch candidates. */
export async function storyEvents(s: Services, from: Date, to: Date, publishedSince: Date): Promise<StoryEvent[]> {
  return (await s.stories.firstSeenBetween(from, new Date(to.getTime() + 1), publishedSince)).map((story) => {
    let sources: StorySource[] | undefined;
    let tags: Tag[] | undefined;
    let event: WatchEvent | undefined;
    const getSources = async () => {
      sources ??= await s.stories.sources(story.id, 1000);
      return sources;
    };
    const getTags = async () => {
      tags ??= await s.entities.tagsOf(story.id);
      return tags;
    };
    const isRelease = async () => {
      for (const x of await getSources()) if ((await s.releases.forItem(x.itemId)) !== undefined) return true;
      return false;
    };
    return {
      id: story.id,
      firstSeenAt: story.firstSeenAt,
      publishedAt: story.publishedAt,
      sourceCount: story.sourceCount,
      async event() {
        event ??= {
          kind: (await isRelease()) ? 'release' : 'story',
          tags: await getTags(),
          text: `${story.title}\n${story.summary ?? ''}`,
        };
        return event;
      },
      async itemIds() {
        return (await getSources()).map((x) => x.itemId);
      },
      async view(language: string, team?: string): Promise<WatchStoryView> {
        const l = labelsFor(language);
        const src = team === undefined ? await getSources() : await s.stories.sources(story.id, 1000, team);
        const t = await getTags();
        return {
          id: story.id,
          title: story.title,
          url: src.find((x) => x.url)?.url ?? null,
          summary: story.summary ?? src[0]?.text.slice(0, 300) ?? '',
          sources: src.map((x) => ({ title: x.title, url: x.url, feed: x.feedTitle })),
          tags: [
            ...t.filter((x) => x.kind === 'lab').map((x) => x.name),
            ...t.filter((x) => x.kind === 'origin').map((x) => l.origin[x.key] ?? x.name),
            ...t.filter((x) => x.kind === 'openness').map((x) => l.openness[x.key] ?? x.name),
          ],
          kind: (await isRelease()) ? 'release' : 'story',
        };
      },
    };
  });
}
