import type { Services } from '../compose.js';
import { DEFAULT_TEAM } from '../core/team.js';
import { localParts, parseClockTime, zonedTime } from '../core/zoned-time.js';
import type { Channel } from '../store/channel-repository.js';
import { type DigestRecord, MANUAL_KEY_PREFIX } from '../store/digest-repository.js';
import { type Lease, withClaim } from '../store/with-claim.js';
import { composeDigest } from './compose-digest.js';
import { type DeliveryOptions, type DeliveryResult, deliverDigest } from './deliver-digest.js';
import type { DigestSink } from './digest-sink.js';
import { postWeeklyChart } from './post-weekly-chart.js';
import { renderBlocks } from './render-blocks.js';

/** How long after its time a missed digest is still posted (after downtime). @unit milliseconds */
export const DEFAULT_GRACE_MS = 6 * 3_600_000;
/** The longest window a digest covers, however long since the last one. @unit milliseconds */
export const MAX_WINDOW_MS = 7 * 86_400_000;

/** A channel's zone: its own, else DEFAULT_TIMEZONE. */
export function channelZone(s: Services, c: Channel): string {
  return c.timezone ?? s.config.defaultTimezone;
}

/** A scheduled digest that is due now: the channel, its local date (the window key) and its time. */
export interface DueDigest {
  channel: Channel;
  windowKey: string;
  scheduledAt: Date;
}

/**
 * Channels whose digest time has passed, today or (after downtime across midnight) yesterday, within
 * the grace period, and that have no posted or failed digest for that local date.
 */
export async function dueDigests(s: Services, now: Date, graceMs = DEFAULT_GRACE_MS): Promise<DueDigest[]> {
  const due: DueDigest[] = [];
  for (const channel of await s.channels.subscribed()) {
    const tz = channelZone(s, channel);
    const time = parseClockTime(channel.digestTime) ?? { hour: 8, minute: 0 };
    for (const back of [1, 0]) {
      const local = localParts(new Date(now.getTime() - back * 86_400_000), tz);
      const at = zonedTime(local.year, local.month, local.day, time.hour, time.minute, tz);
      if (now.getTime() < at.getTime() || now.getTime() - at.getTime() > graceMs) continue;
      const existing = await s.digests.find(channel.id, local.date, channel.teamId);
      if (existing && existing.status !== 'pending') continue;
      due.push({ channel, windowKey: local.date, scheduledAt: at });
    }
  }
  return due;
}

/** The window key of a digest asked for with `digest now`: one per request, and never a scheduled key. */
export function manualDigestKey(now: Date, requestId: number): string {
  return `${MANUAL_KEY_PREFIX}${now.toISOString()}#${requestId}`;
}

/**
 * Composes, claims and delivers one channel's digest for a window key. A key already posted is not
 * posted again; a key left pending by a crash is finished with the messages rendered the first time.
 * The whole of it runs under a work claim on (channel, window key), so while one process composes or
 * posts a digest no other process touches it; a process that died holding it is taken over once its
 * lease expires, and the exactly-once delivery then finds what it had already posted.
 */
export async function sendDigest(
  s: Services,
  sink: DigestSink,
  channelId: string,
  windowKey: string,
  options: DeliveryOptions & { windowMs?: number; interactive?: boolean; team?: string } = {},
): Promise<DeliveryResult & { digestId?: number }> {
  const team = options.team ?? DEFAULT_TEAM;
  // The default team's claim key is what it was before tenancy, so a rolling upgrade never posts twice.
  const key = team === DEFAULT_TEAM ? `digest:${channelId}:${windowKey}` : `digest:${team}:${channelId}:${windowKey}`;
  const claimed = await withClaim(s.claims, s.clock, key, (lease) =>
    sendClaimedDigest(s, sink, channelId, windowKey, { ...options, team, lease }),
  );
  if (claimed.claimed) return claimed.value;
  const existing = await s.digests.find(channelId, windowKey, team);
  if (existing?.status === 'posted')
    return { status: 'posted', ts: existing.messageTs ?? '', parts: existing.parts, digestId: existing.id };
  return { status: 'pending', error: 'digest: another process is posting this digest', digestId: existing?.id };
}

async function sendClaimedDigest(
  s: Services,
  sink: DigestSink,
  channelId: string,
  windowKey: string,
  options: DeliveryOptions & { windowMs?: number; interactive?: boolean; lease: Lease; team: string },
): Promise<DeliveryResult & { digestId?: number }> {
  const team = options.team;
  const existing = await s.digests.find(channelId, windowKey, team);
  if (existing?.status === 'posted')
    return { status: 'posted', ts: existing.messageTs ?? '', parts: existing.parts, digestId: existing.id };
  let record: DigestRecord | undefined = existing?.status === 'pending' ? existing : undefined;
  if (existing?.status === 'failed')
    return { status: 'failed', error: existing.error ?? 'failed', digestId: existing.id };
  if (!record) {
    const now = s.clock.now();
    const channel = await s.channels.get(channelId, team);
    // A scheduled window starts where the last scheduled digest ended: a digest someone asked for in
    // between must not empty it. A manual digest covers what is new since any digest here.
    const last = windowKey.startsWith(MANUAL_KEY_PREFIX)
      ? await s.digests.lastPosted(channelId, team)
      : await s.digests.lastScheduled(channelId, team);
    const windowMs = options.windowMs ?? 86_400_000;
    const from = new Date(
      Math.max(
        last && !options.windowMs ? Date.parse(last.windowTo) : now.getTime() - windowMs,
        now.getTime() - MAX_WINDOW_MS,
      ),
    );
    const digest = await composeDigest(s, {
      channelId,
      from,
      to: now,
      language: channel?.language ?? undefined,
      timeZone: channel ? channelZone(s, channel) : undefined,
      topics: channel?.topics,
      team,
    });
    const messages = renderBlocks(digest, { interactive: options.interactive ?? true });
    // The unique (channel, window) record stays the last word, should a lease ever have been lost.
    record =
      (await s.digests.claim(
        {
          channelId,
          windowKey,
          from,
          to: now,
          storyIds: digest.stories.map((x) => x.id),
          tokens: digest.tokens,
          messages,
        },
        now,
        team,
      )) ?? (await s.digests.find(channelId, windowKey, team));
    if (!record) return { status: 'pending', error: 'digest: the digest record could not be created' };
    if (record.status !== 'pending') return sendClaimedDigest(s, sink, channelId, windowKey, options);
  }
  const result = await deliverDigest(s, sink, record, options);
  if (result.status === 'posted') await postWeeklyChart(s, sink, channelId, result.ts, team);
  return { ...result, digestId: record.id };
}

/**
 * Sends every due scheduled digest, and finishes digests a crash left pending. Never throws for one
 * channel. `served` says whether a team can be posted to at all (its workspace still has the app
 * installed); its channels are left as they are, not failed. `sinkFor` gives each team's workspace
 * sink (many workspaces); without it `sink` posts for every team.
 */
export async function runDueDigests(
  s: Services,
  sink: DigestSink,
  options: DeliveryOptions & {
    graceMs?: number;
    served?: (teamId: string) => Promise<boolean>;
    sinkFor?: (teamId: string) => DigestSink;
  } = {},
): Promise<{ channel: string; team: string; result: DeliveryResult }[]> {
  const out: { channel: string; team: string; result: DeliveryResult }[] = [];
  const keys = new Set<string>();
  const jobs = (await dueDigests(s, s.clock.now(), options.graceMs)).map((d) => ({
    team: d.channel.teamId,
    channel: d.channel.id,
    key: d.windowKey,
  }));
  for (const p of await s.digests.pending()) jobs.push({ team: p.teamId, channel: p.channelId, key: p.windowKey });
  for (const job of jobs) {
    const id = `${job.team}|${job.channel}|${job.key}`;
    if (keys.has(id)) continue;
    keys.add(id);
    if (options.served && !(await options.served(job.team))) continue;
    const at = { channel: job.channel, team: job.team };
    try {
      const teamSink = options.sinkFor?.(job.team) ?? sink;
      out.push({ ...at, result: await sendDigest(s, teamSink, job.channel, job.key, { ...options, team: job.team }) });
    } catch (err) {
      s.logger.error('digest: failed', { ...at, error: (err as Error).message });
      out.push({ ...at, result: { status: 'pending', error: (err as Error).message } });
    }
  }
  return out;
}
