import { AUTHORS, pollSettings, type Services } from '../compose.js';
import { yieldToLoop } from '../core/yield-to-loop.js';
import { serialize } from '../store/sql.js';
import { storageProblem } from '../store/storage-problem.js';
import { clusterItems } from '../stories/cluster-items.js';
import { createItemMatcher, type ItemMatcher } from './item-matcher.js';
import { type PollReport, pollFeeds } from './poll-feeds.js';
import { type SummarizeReport, summarizeStories } from './summarize-stories.js';
import { tagStories } from './tag-stories.js';
import { pollSources, type SourcePollResult } from './track-sources.js';

/** What happened to stored items after a poll: stories made or grown, summaries written. */
export interface ProcessReport {
  newStories: number;
  updatedStories: number;
  summaries: SummarizeReport;
}

/** What one ingest cycle did. */
export interface IngestReport extends PollReport, ProcessReport {
  /** The built-in sources (OpenRouter's model list and rankings) read in this cycle. */
  sources: SourcePollResult[];
  llm: { calls: number; failed: number; promptTokens: number; completionTokens: number };
}

/** Items placed in stories per transaction; the event loop runs between two slices (Slack acks, renewals). */
export const CLUSTER_SLICE = 250;
/**
 * Puts every item not yet in a story into one (including any a crash left behind), in slices: each is
 * read and placed in one IMMEDIATE transaction (two processes never place the same item, and a crash
 * keeps whole slices), and the event loop runs between slices, so a big poll never holds the process.
 * Returns the stories started and those that grew (merged-away stories are in neither).
 */
export async function clusterNewItems(
  s: Services,
  matchItem: ItemMatcher,
): Promise<{ newStoryIds: number[]; joined: Set<number> }> {
  const newStoryIds: number[] = [];
  const joined = new Set<number>();
  for (let round = 0; round < 2000; round++) {
    const r = await s.sql.write(async (tx) => {
      await serialize(tx, 'cluster');
      const batch = await s.items.unclustered(CLUSTER_SLICE);
      if (batch.length === 0) return undefined;
      const clustered = await clusterItems(s.stories, batch, {
        now: s.clock.now(),
        entitiesOf: (it) => matchItem(it.id, it.title, it.text),
      });
      // A channel told about either story of a merge keeps one announcement, now of the survivor.
      for (const m of clustered.merges) await s.watch.reassignStory(m.from, m.into);
      return clustered;
    });
    if (!r) break;
    const gone = new Set(r.merges.map((m) => m.from));
    for (let i = newStoryIds.length - 1; i >= 0; i--) if (gone.has(newStoryIds[i] as number)) newStoryIds.splice(i, 1);
    for (const id of gone) joined.delete(id);
    newStoryIds.push(...r.newStoryIds);
    for (const id of r.joinedStoryIds) joined.add(id);
    await yieldToLoop();
  }
  return { newStoryIds, joined };
}

/**
 * Clusters every new item, tags the stories that changed and summarizes those that need it, each in
 * bounded slices that let the event loop run: the work costs O(new items), never O(story or archive).
 * Each item is matched against the catalog once: clustering and tagging share the result.
 */
export async function processNewItems(s: Services): Promise<ProcessReport> {
  const matchItem = createItemMatcher(s.matcher);
  const { newStoryIds, joined } = await clusterNewItems(s, matchItem);
  await tagStories(s, matchItem);
  const summaries = await summarizeStories(s);
  return { newStories: newStoryIds.length, updatedStories: joined.size, summaries };
}

const NO_SUMMARIES = { summarized: 0, model: 0, offline: 0, fallback: 0, cached: 0 };

/** The poll step of a cycle over the services: fetch due feeds and store their new items. */
export function pollServicesFeeds(s: Services, options: { all?: boolean } = {}) {
  return pollFeeds(
    {
      feeds: s.feeds,
      items: s.items,
      releases: s.releases,
      claims: s.claims,
      matcher: s.matcher,
      authors: AUTHORS,
      fetch: s.fetch,
      clock: s.clock,
      logger: s.logger,
      settings: pollSettings(s.config),
    },
    options,
  );
}

/** One ingest cycle: poll due feeds, then process what they brought. */
export async function runIngest(s: Services, options: { all?: boolean } = {}): Promise<IngestReport> {
  const started = s.clock.now();
  const poll = await pollServicesFeeds(s, options);
  const sources = await pollSources(s, options);
  let processed: ProcessReport;
  try {
    processed = await processNewItems(s);
  } catch (err) {
    // Stored items stay and are clustered next cycle; the disk problem is reported once, with the poll's.
    const storage = storageProblem(err);
    if (!storage) throw err;
    poll.storage ??= { code: storage.code, error: storage.message };
    processed = { newStories: 0, updatedStories: 0, summaries: NO_SUMMARIES };
  }
  const sourceItems = sources.flatMap((r) => r.newItemIds);
  const m = s.metrics;
  m.polls.inc();
  m.newItems.inc(poll.newItems + sourceItems.length);
  m.newStories.inc(processed.newStories);
  for (const f of poll.feeds) {
    m.feedPolls.inc({ status: f.status });
    if (f.status === 'error' && f.code) m.feedErrors.inc({ code: f.code });
  }
  for (const source of ['model', 'offline', 'fallback'] as const)
    if (processed.summaries[source]) m.summaries.inc({ source }, processed.summaries[source]);
  const usage = await s.usage.totals(started, new Date(s.clock.now().getTime() + 1));
  return {
    ...poll,
    newItems: poll.newItems + sourceItems.length,
    newItemIds: [...poll.newItemIds, ...sourceItems],
    sources,
    ...processed,
    llm: {
      calls: usage.reduce((n, u) => n + u.calls, 0),
      failed: usage.reduce((n, u) => n + u.failed, 0),
      promptTokens: usage.reduce((n, u) => n + u.promptTokens, 0),
      completionTokens: usage.reduce((n, u) => n + u.completionTokens, 0),
    },
  };
}
