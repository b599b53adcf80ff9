import type { Services } from '../compose.js';
import { errorMessage } from '../core/errors.js';
import type { DigestRecord } from '../store/digest-repository.js';
import { type DigestSink, SinkError } from './digest-sink.js';
import type { SlackMessage } from './render-blocks.js';

export interface DeliveryOptions {
  /** Waits between messages to one channel (Slack allows about one per second). @unit milliseconds */
  paceMs?: number;
  /** The longest Retry-After waited for inline; longer leaves the digest pending for the next tick. @unit milliseconds */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type DeliveryResult =
  | { status: 'posted'; ts: string; parts: number }
  | { status: 'pending' | 'failed'; error: string };

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Posts a claimed digest exactly once. Each message carries a tag (digest id and part); before any
 * message that an earlier, interrupted attempt may already have posted, the channel is checked for
 * that tag, so a crash between Slack's acceptance and our record never produces a second copy.
 * Rate limits are waited out (Retry-After); permanent errors mark the digest failed with the reason.
 */
export async function deliverDigest(
  s: Services,
  sink: DigestSink,
  record: DigestRecord,
  o: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const sleep = o.sleep ?? realSleep;
  const paceMs = o.paceMs ?? 1100;
  const maxWaitMs = o.maxWaitMs ?? 60_000;
  const messages = s.digests.messages<SlackMessage>(record.id);
  const resumed = record.attempts > 0;
  s.digests.countAttempt(record.id);
  const done = s.digests.postedParts(record.id);
  const since = new Date(Date.parse(record.createdAt) - 60_000);
  if (resumed && done.size < messages.length) {
    // An earlier attempt was interrupted: anything it posted but did not record is in the channel.
    try {
      for (const [part, ts] of await sink.findPosted(record.channelId, record.id, since, done.get(0))) {
        if (!done.has(part)) {
          s.digests.recordPart(record.id, part, ts);
          done.set(part, ts);
        }
      }
    } catch (err) {
      const msg = `digest: cannot check the channel for an interrupted digest (${errorMessage(err)}); will retry`;
      s.digests.noteError(record.id, msg);
      return { status: 'pending', error: msg };
    }
  }
  let lastPost = 0;
  for (let part = 0; part < messages.length; part++) {
    if (done.has(part)) continue;
    const threadTs = part === 0 ? undefined : done.get(0);
    for (let attempt = 0; ; attempt++) {
      const wait = lastPost + paceMs - s.clock.now().getTime();
      if (lastPost > 0 && wait > 0) await sleep(wait);
      try {
        const { ts } = await sink.post(record.channelId, messages[part] as SlackMessage, {
          threadTs,
          tag: { digestId: record.id, part },
        });
        s.digests.recordPart(record.id, part, ts);
        done.set(part, ts);
        s.metrics.slackPosts.inc();
        lastPost = s.clock.now().getTime();
        break;
      } catch (err) {
        const e = err instanceof SinkError ? err : new SinkError('ambiguous', errorMessage(err));
        s.metrics.slackErrors.inc({ kind: e.kind });
        if (e.kind === 'fatal') {
          s.digests.markFailed(record.id, e.message);
          s.metrics.digests.inc({ outcome: 'failed' });
          s.logger.error('digest: post failed', { channel: record.channelId, digestId: record.id, error: e.message });
          return { status: 'failed', error: e.message };
        }
        if (attempt >= 4 || (e.retryAfterMs ?? 0) > maxWaitMs) {
          s.digests.noteError(record.id, e.message);
          s.metrics.digests.inc({ outcome: 'deferred' });
          s.logger.warn('digest: post deferred', { channel: record.channelId, digestId: record.id, error: e.message });
          return { status: 'pending', error: e.message };
        }
        if (e.kind === 'rate_limited') {
          await sleep(e.retryAfterMs ?? 1000);
          continue;
        }
        // Ambiguous (timeout, 5xx): the message may be in the channel; look before posting again.
        await sleep(Math.min(5000, 500 * 2 ** attempt));
        try {
          const found = (await sink.findPosted(record.channelId, record.id, since, done.get(0))).get(part);
          if (found) {
            s.digests.recordPart(record.id, part, found);
            done.set(part, found);
            break;
          }
        } catch {}
      }
    }
  }
  const first = done.get(0) as string;
  s.digests.markPosted(record.id, first, s.clock.now());
  s.metrics.digests.inc({ outcome: 'posted' });
  return { status: 'posted', ts: first, parts: messages.length };
}
