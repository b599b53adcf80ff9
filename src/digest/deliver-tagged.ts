import type { Services } from '../compose.js';
import { errorMessage } from '../core/errors.js';
import type { Lease } from '../store/with-claim.js';
import { type DigestSink, SinkError, type TagKind } from './digest-sink.js';
import type { SlackMessage } from './render-blocks.js';

export interface DeliveryOptions {
  /** Waits between messages to one channel (Slack allows about one per second). @unit milliseconds */
  paceMs?: number;
  /** The longest Retry-After waited for inline; longer leaves the record pending for the next tick. @unit milliseconds */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The work claim on this record: renewed before each post; once lost, posting stops (its new holder finishes). */
  lease?: Lease;
}

export type DeliveryResult =
  | { status: 'posted'; ts: string; parts: number }
  | { status: 'pending' | 'failed'; error: string };

/**
 * A claimed record whose messages must reach one channel exactly once: a digest, or a watch message.
 * The ledger methods write what happened to the record's own table.
 */
export interface TaggedRecord {
  kind: TagKind;
  id: number;
  channelId: string;
  /** Earlier attempts; above zero, the channel is checked for posted parts before posting. */
  attempts: number;
  createdAt: string;
  /** The thread the first message goes into (a watch update); top level when absent. */
  threadTs?: string;
  messages(): Promise<SlackMessage[]>;
  countAttempt(): Promise<void>;
  postedParts(): Promise<Map<number, string>>;
  recordPart(part: number, ts: string): Promise<void>;
  markPosted(ts: string, now: Date): Promise<void>;
  markFailed(error: string): Promise<void>;
  noteError(error: string): Promise<void>;
  /** Counts the outcome (metrics). */
  outcome(outcome: 'posted' | 'failed' | 'deferred'): void;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Posts a claimed record's messages exactly once. Each message carries a tag (kind, record id and
 * part); before any message that an earlier, interrupted attempt may already have posted, the channel
 * is checked for that tag, so a crash between Slack's acceptance and our record never produces a
 * second copy. Rate limits are waited out (Retry-After); permanent errors mark the record failed.
 */
export async function deliverTagged(
  s: Services,
  sink: DigestSink,
  r: TaggedRecord,
  o: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const sleep = o.sleep ?? realSleep;
  const paceMs = o.paceMs ?? 1100;
  const maxWaitMs = o.maxWaitMs ?? 60_000;
  const messages = await r.messages();
  const resumed = r.attempts > 0;
  await r.countAttempt();
  const done = await r.postedParts();
  const since = new Date(Date.parse(r.createdAt) - 60_000);
  const parent = () => done.get(0) ?? r.threadTs;
  const findPosted = () => sink.findPosted(r.channelId, r.id, since, parent(), r.kind);
  if (resumed && done.size < messages.length) {
    // An earlier attempt was interrupted: anything it posted but did not record is in the channel.
    try {
      for (const [part, ts] of await findPosted()) {
        if (!done.has(part)) {
          await r.recordPart(part, ts);
          done.set(part, ts);
        }
      }
    } catch (err) {
      const msg = `${r.kind}: cannot check the channel for an interrupted post (${errorMessage(err)}); will retry`;
      await r.noteError(msg);
      return { status: 'pending', error: msg };
    }
  }
  let lastPost = 0;
  for (let part = 0; part < messages.length; part++) {
    if (done.has(part)) continue;
    const threadTs = part === 0 ? r.threadTs : done.get(0);
    for (let attempt = 0; ; attempt++) {
      const wait = lastPost + paceMs - s.clock.now().getTime();
      if (lastPost > 0 && wait > 0) await sleep(wait);
      if (o.lease && !(await o.lease.renew())) {
        const msg = `${r.kind}: another process took this over (this one was too slow to renew its claim)`;
        s.logger.warn(msg, { channel: r.channelId, id: r.id });
        return { status: 'pending', error: msg };
      }
      try {
        const { ts } = await sink.post(r.channelId, messages[part] as SlackMessage, {
          threadTs,
          tag: { digestId: r.id, part, ...(r.kind === 'digest' ? {} : { kind: r.kind }) },
        });
        await r.recordPart(part, ts);
        done.set(part, ts);
        s.metrics.slackPosts.inc();
        lastPost = s.clock.now().getTime();
        break;
      } catch (err) {
        const e = err instanceof SinkError ? err : new SinkError('ambiguous', errorMessage(err));
        s.metrics.slackErrors.inc({ kind: e.kind });
        const where = { channel: r.channelId, id: r.id, error: e.message };
        if (e.kind === 'fatal') {
          await r.markFailed(e.message);
          r.outcome('failed');
          s.logger.error(`${r.kind}: post failed`, where);
          return { status: 'failed', error: e.message };
        }
        if (attempt >= 4 || (e.retryAfterMs ?? 0) > maxWaitMs) {
          await r.noteError(e.message);
          r.outcome('deferred');
          s.logger.warn(`${r.kind}: post deferred`, where);
          return { status: 'pending', error: e.message };
        }
        if (e.kind === 'rate_limited') {
          await sleep(e.retryAfterMs ?? 1000);
          continue;
        }
        // Ambiguous (timeout, 5xx): the message may be in the channel; look before posting again.
        await sleep(Math.min(5000, 500 * 2 ** attempt));
        try {
          const found = (await findPosted()).get(part);
          if (found) {
            await r.recordPart(part, found);
            done.set(part, found);
            break;
          }
        } catch {}
      }
    }
  }
  const first = done.get(0) as string;
  await r.markPosted(first, s.clock.now());
  r.outcome('posted');
  return { status: 'posted', ts: first, parts: messages.length };
}
