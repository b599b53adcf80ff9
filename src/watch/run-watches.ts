import type { Services } from '../compose.js';
import { errorMessage } from '../core/errors.js';
import { type DeliveryOptions, type DeliveryResult, deliverTagged } from '../digest/deliver-tagged.js';
import type { DigestSink } from '../digest/digest-sink.js';
import type { SlackMessage } from '../digest/render-blocks.js';
import type { WatchMessage } from '../store/watch-repository.js';
import { type ChannelRule, channelRules } from './channel-rules.js';
import { type ModelChange, type ModelChangeSource, modelChangeSource } from './model-change-source.js';
import { renderAnnouncement, renderChange, renderFold, renderUpdate } from './render-watch.js';
import { type StoryEvent, storyEvents } from './story-events.js';
import { watchLabelsFor } from './watch-labels.js';

/** Top-level watch posts a channel gets in an hour at most; the overflow is folded into one of them. */
export const WATCH_CAP_PER_HOUR = 10;
/** At most one threaded update per announced story in this interval. @unit milliseconds */
export const WATCH_UPDATE_EVERY_MS = 3 * 3_600_000;
/** Stories first seen this recently are candidates (a rule may start matching as sources join). @unit milliseconds */
const LOOKBACK_MS = 24 * 3_600_000;
/** A story published longer ago than this is a feed's backlog, not news. @unit milliseconds */
const FRESH_MS = 3 * 86_400_000;
/** Later sources are threaded under announcements this young. @unit milliseconds */
const UPDATES_FOR_MS = 7 * 86_400_000;
/** How long a process holds a message it is delivering; after a crash, the next run takes over. @unit milliseconds */
const LEASE_MS = 10 * 60_000;

export interface WatchOptions extends DeliveryOptions {
  /** Model-list change events for `kind:change` rules; by default whatever the build offers. */
  changes?: ModelChangeSource | null;
  capPerHour?: number;
  /** @unit milliseconds */
  updateEveryMs?: number;
}

/** What one watch run posted. */
export interface WatchReport {
  announced: number;
  folded: number;
  changes: number;
  updates: number;
  /** Matches waiting for the hourly cap to free up. */
  deferred: number;
  failed: number;
}

type Match = { rule: ChannelRule } & ({ story: StoryEvent } | { change: ModelChange });

/**
 * The watch step, run after a poll has clustered, tagged and summarized: each channel with rules gets
 * one message per new matching story (or model-list change) at once, within an hourly cap whose
 * overflow is folded into one message; later sources of an announced story become at most one threaded
 * reply per interval. Every message is claimed in the database before it is posted and carries its id,
 * so a story is announced once per channel across processes and crashes. Never throws for one channel.
 */
export async function runWatches(s: Services, sink: DigestSink, o: WatchOptions = {}): Promise<WatchReport> {
  const report: WatchReport = { announced: 0, folded: 0, changes: 0, updates: 0, deferred: 0, failed: 0 };
  const now = s.clock.now();
  const count = (m: WatchMessage, r: DeliveryResult | null) => {
    if (r?.status === 'failed') report.failed++;
    else if (r?.status === 'posted')
      if (m.kind === 'update') report.updates++;
      else if (m.kind === 'fold') report.folded++;
      else if (m.kind === 'change') report.changes++;
      else report.announced++;
  };
  for (const m of s.watch.pending(now))
    if (s.watch.lease(m.id, now, new Date(now.getTime() + LEASE_MS)))
      count(m, await deliverWatchMessage(s, sink, m, o));
  const rules = channelRules(s);
  if (rules.size === 0) return report;
  const stories = storyEvents(s, new Date(now.getTime() - LOOKBACK_MS), now, new Date(now.getTime() - FRESH_MS));
  const source = o.changes === undefined ? modelChangeSource(s) : o.changes;
  const changes = source?.changesBetween(new Date(now.getTime() - LOOKBACK_MS), new Date(now.getTime() + 1)) ?? [];
  for (const [channelId, list] of rules) {
    try {
      await announce(s, sink, channelId, list, stories, changes, report, count, o);
    } catch (err) {
      s.logger.error('watch: channel failed', { channel: channelId, error: errorMessage(err) });
    }
  }
  const every = o.updateEveryMs ?? WATCH_UPDATE_EVERY_MS;
  for (const post of s.watch.updatable(new Date(now.getTime() - UPDATES_FOR_MS), new Date(now.getTime() - every))) {
    if (!rules.has(post.channelId) || post.storyId === null) continue;
    const story = s.stories.get(post.storyId);
    const fresh = new Set(s.watch.uncoveredItems(post));
    if (!story || fresh.size === 0) continue;
    const sources = s.stories.sources(story.id, 1000).filter((x) => fresh.has(x.itemId));
    const l = watchLabelsFor(channelLanguage(s, post.channelId));
    const message = renderUpdate(
      sources.map((x) => ({ title: x.title, url: x.url, feed: x.feedTitle })),
      l,
      post.messageKind === 'fold' ? story.title : null,
    );
    const claimed = s.watch.claimUpdate(
      { post, message, itemIds: [...fresh], notBefore: new Date(now.getTime() - every) },
      now,
      new Date(now.getTime() + LEASE_MS),
    );
    if (claimed) count(claimed, await deliverWatchMessage(s, sink, claimed, o));
  }
  return report;
}

function channelLanguage(s: Services, channelId: string): string {
  return s.channels.get(channelId)?.language ?? s.config.digestLanguage;
}

/** One channel's new matches: announced one by one up to the cap, the rest folded into one message. */
async function announce(
  s: Services,
  sink: DigestSink,
  channelId: string,
  rules: ChannelRule[],
  stories: StoryEvent[],
  changes: ModelChange[],
  report: WatchReport,
  count: (m: WatchMessage, r: DeliveryResult | null) => void,
  o: WatchOptions,
): Promise<void> {
  const now = s.clock.now();
  const matches: Match[] = [];
  for (const story of stories) {
    const rule = rules.find((r) => story.firstSeenAt >= r.createdAt && r.matches(story.event));
    if (rule) matches.push({ rule, story });
  }
  const claimed = s.watch.claimedStories(
    channelId,
    matches.flatMap((m) => ('story' in m ? [m.story.id] : [])),
  );
  const fresh: Match[] = matches.filter((m) => 'story' in m && !claimed.has(m.story.id));
  fresh.sort((a, b) => ('story' in a && 'story' in b ? storyRank(b.story) - storyRank(a.story) : 0));
  for (const change of changes) {
    const event = { kind: 'change' as const, tags: changeTags(s, change), text: `${change.name}\n${change.detail}` };
    const rule = rules.find((r) => change.seenAt >= r.createdAt && r.matches(event));
    if (rule && !s.watch.changeClaimed(channelId, change.id)) fresh.push({ rule, change });
  }
  if (fresh.length === 0) return;
  const cap = o.capPerHour ?? WATCH_CAP_PER_HOUR;
  const room = cap - s.watch.topLevelSince(channelId, new Date(now.getTime() - 3_600_000));
  if (room <= 0) {
    report.deferred += fresh.length;
    return;
  }
  const singles = fresh.length <= room ? fresh : fresh.slice(0, room - 1);
  const folded = fresh.slice(singles.length);
  const l = watchLabelsFor(channelLanguage(s, channelId));
  const lease = new Date(now.getTime() + LEASE_MS);
  const ref = (r: ChannelRule) => ({ id: r.id, topics: r.topics });
  for (const m of singles) {
    const claim =
      'story' in m
        ? s.watch.claimAnnouncement(
            {
              channelId,
              kind: 'story',
              message: renderAnnouncement(m.story.view(channelLanguage(s, channelId)), l, ref(m.rule)),
              subjects: [{ storyId: m.story.id, ruleId: m.rule.id, itemIds: m.story.itemIds }],
            },
            now,
            lease,
          )
        : s.watch.claimAnnouncement(
            {
              channelId,
              kind: 'change',
              message: renderChange(
                m.change,
                changeTags(s, m.change).map((t) => t.name),
                l,
                ref(m.rule),
              ),
              subjects: [{ changeId: m.change.id, ruleId: m.rule.id }],
            },
            now,
            lease,
          );
    if (claim) count(claim, await deliverWatchMessage(s, sink, claim, o));
  }
  if (folded.length === 0) return;
  const language = channelLanguage(s, channelId);
  const claim = s.watch.claimAnnouncement(
    {
      channelId,
      kind: 'fold',
      message: renderFold(
        folded.map((m) => ('story' in m ? { story: m.story.view(language) } : { change: m.change })),
        l,
        cap,
      ),
      subjects: folded.map((m) =>
        'story' in m
          ? { storyId: m.story.id, ruleId: m.rule.id, itemIds: m.story.itemIds }
          : { changeId: m.change.id, ruleId: m.rule.id },
      ),
    },
    now,
    lease,
  );
  if (claim) count(claim, await deliverWatchMessage(s, sink, claim, o));
}

/** Stories with more independent sources first, then the newest. */
function storyRank(e: StoryEvent): number {
  return e.sourceCount * 1e13 + Date.parse(e.publishedAt);
}

function changeTags(s: Services, c: ModelChange) {
  return [
    ...(c.labId ? [{ kind: 'lab' as const, key: c.labId, name: s.matcher.lab(c.labId)?.name ?? c.labId }] : []),
    ...(c.origin ? [{ kind: 'origin' as const, key: c.origin, name: c.origin }] : []),
    ...(c.openness ? [{ kind: 'openness' as const, key: c.openness, name: c.openness }] : []),
  ];
}

/**
 * Delivers one claimed watch message through the sink (see deliverTagged), as a reply in its parent's
 * thread for an update. An update whose parent failed for good fails too; one whose parent is still
 * pending waits for the next run.
 */
async function deliverWatchMessage(
  s: Services,
  sink: DigestSink,
  m: WatchMessage,
  o: DeliveryOptions,
): Promise<DeliveryResult | null> {
  const w = s.watch;
  if (m.kind === 'update' && !m.parentTs) {
    const parent = m.parentId === null ? undefined : w.message(m.parentId);
    if (parent && parent.status !== 'failed') {
      w.releaseLease(m.id);
      return null;
    }
    const error = 'watch: the announcement this update replies to was never posted';
    w.markFailed(m.id, error);
    return { status: 'failed', error };
  }
  const result = await deliverTagged(
    s,
    sink,
    {
      kind: 'watch',
      id: m.id,
      channelId: m.channelId,
      attempts: m.attempts,
      createdAt: m.createdAt,
      threadTs: m.parentTs ?? undefined,
      messages: () => {
        const body = w.body<SlackMessage>(m.id);
        return body ? [body] : [];
      },
      countAttempt: () => w.countAttempt(m.id),
      postedParts: () => {
        const ts = w.message(m.id)?.messageTs;
        return new Map(ts ? [[0, ts]] : []);
      },
      recordPart: (_part, ts) => w.recordTs(m.id, ts),
      markPosted: (ts, at) => w.markPosted(m.id, ts, at),
      markFailed: (error) => w.markFailed(m.id, error),
      noteError: (error) => w.noteError(m.id, error),
      outcome: (outcome) => s.metrics.watchPosts.inc({ outcome }),
    },
    o,
  );
  if (result.status === 'pending') w.releaseLease(m.id);
  else if (result.status === 'posted')
    s.logger.info('watch: posted', { channel: m.channelId, kind: m.kind, watchMessageId: m.id });
  return result;
}
