import type { Services } from '../compose.js';
import { errorMessage } from '../core/errors.js';
import type { DeliveryOptions, DeliveryResult } from '../digest/deliver-tagged.js';
import type { DigestSink } from '../digest/digest-sink.js';
import type { Tag } from '../store/entity-repository.js';
import type { ClaimedSubject, WatchMessage } from '../store/watch-repository.js';
import { type ChannelRule, channelKey, channelRules, type TeamChannel } from './channel-rules.js';
import { deliverWatchMessage } from './deliver-watch-message.js';
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
  /** Whether a team can be posted to (its workspace has the app installed); its channels are skipped otherwise. */
  served?: (teamId: string) => Promise<boolean>;
  /** The sink of a team's workspace (many workspaces); the one `sink` for every team when absent. */
  sinkFor?: (teamId: string) => DigestSink;
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

/** One run's shared state: where posts go, what was done, how to claim and post one message. */
interface Run {
  s: Services;
  now: Date;
  report: WatchReport;
  /** Delivers a freshly claimed (or re-leased) message and counts the outcome. */
  post(m: WatchMessage | undefined): Promise<void>;
  lease(): Date;
}

/**
 * The watch step, run after a poll has clustered, tagged and summarized: each channel with rules gets
 * one message per new matching story (or model-list change) at once, within an hourly cap whose
 * overflow is folded into one message; later sources of an announced story become at most one threaded
 * reply per interval. Every message is claimed in the database before it is posted and carries its id,
 * so a story is announced once per channel across processes and crashes. Never throws for one channel.
 */
export async function runWatches(s: Services, sink: DigestSink, o: WatchOptions = {}): Promise<WatchReport> {
  const now = s.clock.now();
  const report: WatchReport = { announced: 0, folded: 0, changes: 0, updates: 0, deferred: 0, failed: 0 };
  const run: Run = {
    s,
    now,
    report,
    lease: () => new Date(now.getTime() + LEASE_MS),
    async post(m) {
      if (m) count(report, m, await deliverWatchMessage(s, o.sinkFor?.(m.teamId) ?? sink, m, o));
    },
  };
  const served = o.served ?? (async () => true);
  for (const m of await s.watch.pending(now))
    if ((await served(m.teamId)) && (await s.watch.lease(m.id, now, run.lease()))) await run.post(m);
  const rules = await channelRules(s);
  for (const [key, { at }] of [...rules]) if (!(await served(at.team))) rules.delete(key);
  if (rules.size === 0) return report;
  const since = new Date(now.getTime() - LOOKBACK_MS);
  const stories = await storyEvents(s, since, now, new Date(now.getTime() - FRESH_MS));
  const source = o.changes === undefined ? modelChangeSource(s) : o.changes;
  const changes = (await source?.changesBetween(since, new Date(now.getTime() + 1))) ?? [];
  // Tenancy: a team's rules see only the stories it can see (an item from its feeds, or a built-in source).
  const visible = new Map<string, Set<number>>();
  for (const { at } of rules.values())
    if (!visible.has(at.team))
      visible.set(
        at.team,
        await s.stories.visibleTo(
          at.team,
          stories.map((x) => x.id),
        ),
      );
  for (const { at, rules: list } of rules.values()) {
    try {
      const seen = visible.get(at.team) ?? new Set<number>();
      await announce(
        run,
        at,
        await matchesFor(
          s,
          at,
          list,
          stories.filter((x) => seen.has(x.id)),
          changes,
        ),
        o.capPerHour ?? WATCH_CAP_PER_HOUR,
      );
    } catch (err) {
      s.logger.error('watch: channel failed', { team: at.team, channel: at.channel, error: errorMessage(err) });
    }
  }
  await postUpdates(run, new Set(rules.keys()), o.updateEveryMs ?? WATCH_UPDATE_EVERY_MS);
  return report;
}

function count(report: WatchReport, m: WatchMessage, r: DeliveryResult | null): void {
  if (r?.status === 'failed') report.failed++;
  else if (r?.status !== 'posted') return;
  else if (m.kind === 'update') report.updates++;
  else if (m.kind === 'fold') report.folded++;
  else if (m.kind === 'change') report.changes++;
  else report.announced++;
}

async function channelLanguage(s: Services, at: TeamChannel): Promise<string> {
  return (await s.channels.get(at.channel, at.team))?.language ?? s.config.digestLanguage;
}

function changeTags(s: Services, c: ModelChange): Tag[] {
  return [
    ...(c.labId ? [{ kind: 'lab' as const, key: c.labId, name: s.matcher.lab(c.labId)?.name ?? c.labId }] : []),
    ...(c.origin ? [{ kind: 'origin' as const, key: c.origin, name: c.origin }] : []),
    ...(c.openness ? [{ kind: 'openness' as const, key: c.openness, name: c.openness }] : []),
  ];
}

/**
 * A channel's new matches, not yet claimed there: stories first seen after the rule that matches them
 * (more independent sources first, then the newest), then model-list changes.
 */
async function matchesFor(
  s: Services,
  at: TeamChannel,
  rules: ChannelRule[],
  stories: StoryEvent[],
  changes: ModelChange[],
): Promise<Match[]> {
  const found: Match[] = [];
  for (const story of stories) {
    const eligible = rules.filter((r) => story.firstSeenAt >= r.createdAt);
    if (eligible.length === 0) continue;
    const event = await story.event();
    const rule = eligible.find((r) => r.matches(event));
    if (rule) found.push({ rule, story });
  }
  const claimed = await s.watch.claimedStories(
    at.channel,
    found.flatMap((m) => ('story' in m ? [m.story.id] : [])),
    at.team,
  );
  const out = found.filter((m) => 'story' in m && !claimed.has(m.story.id));
  const rank = (m: Match) => ('story' in m ? m.story.sourceCount * 1e13 + Date.parse(m.story.publishedAt) : 0);
  out.sort((a, b) => rank(b) - rank(a));
  for (const change of changes) {
    const event = { kind: 'change' as const, tags: changeTags(s, change), text: `${change.name}\n${change.detail}` };
    const rule = rules.find((r) => change.seenAt >= r.createdAt && r.matches(event));
    if (rule && !(await s.watch.changeClaimed(at.channel, change.id, at.team))) out.push({ rule, change });
  }
  return out;
}

/** Posts a channel's matches one by one up to the hourly cap, folding the rest into one message. */
async function announce(run: Run, at: TeamChannel, matches: Match[], cap: number): Promise<void> {
  const { s, now } = run;
  if (matches.length === 0) return;
  const channelId = at.channel;
  const teamId = at.team;
  const room = cap - (await s.watch.topLevelSince(channelId, new Date(now.getTime() - 3_600_000), teamId));
  if (room <= 0) {
    run.report.deferred += matches.length;
    return;
  }
  const singles = matches.length <= room ? matches : matches.slice(0, room - 1);
  const folded = matches.slice(singles.length);
  const language = await channelLanguage(s, at);
  const l = watchLabelsFor(language);
  const subject = async (m: Match): Promise<ClaimedSubject> =>
    'story' in m
      ? { storyId: m.story.id, ruleId: m.rule.id, itemIds: await m.story.itemIds() }
      : { changeId: m.change.id, ruleId: m.rule.id };
  for (const m of singles) {
    const ref = { id: m.rule.id, topics: m.rule.topics };
    const message =
      'story' in m
        ? renderAnnouncement(await m.story.view(language, teamId), l, ref)
        : renderChange(
            m.change,
            changeTags(s, m.change).map((t) => t.name),
            l,
            ref,
          );
    const kind = 'story' in m ? 'story' : 'change';
    await run.post(
      await s.watch.claimAnnouncement(
        { teamId, channelId, kind, message, subjects: [await subject(m)] },
        now,
        run.lease(),
      ),
    );
  }
  if (folded.length === 0) return;
  const entries = [];
  for (const m of folded)
    entries.push('story' in m ? { story: await m.story.view(language, teamId) } : { change: m.change });
  const subjects: ClaimedSubject[] = [];
  for (const m of folded) subjects.push(await subject(m));
  const message = renderFold(entries, l, cap);
  await run.post(
    await s.watch.claimAnnouncement({ teamId, channelId, kind: 'fold', message, subjects }, now, run.lease()),
  );
}

/** Later sources of announced stories: one threaded reply per story at most every `everyMs`. */
async function postUpdates(run: Run, channels: Set<string>, everyMs: number): Promise<void> {
  const { s, now } = run;
  const notBefore = new Date(now.getTime() - everyMs);
  for (const post of await s.watch.updatable(new Date(now.getTime() - UPDATES_FOR_MS), notBefore)) {
    const at = { team: post.teamId, channel: post.channelId };
    if (!channels.has(channelKey(at)) || post.storyId === null) continue;
    const story = await s.stories.get(post.storyId);
    const fresh = new Set(await s.watch.uncoveredItems(post));
    if (!story || fresh.size === 0) continue;
    const sources = (await s.stories.sources(story.id, 1000, post.teamId))
      .filter((x) => fresh.has(x.itemId))
      .map((x) => ({ title: x.title, url: x.url, feed: x.feedTitle }));
    // Later sources only from feeds this team subscribes to: another team's feeds are not its news.
    if (sources.length === 0) continue;
    const l = watchLabelsFor(await channelLanguage(s, at));
    const message = renderUpdate(sources, l, post.messageKind === 'fold' ? story.title : null);
    await run.post(await s.watch.claimUpdate({ post, message, itemIds: [...fresh], notBefore }, now, run.lease()));
  }
}
