import type { Services } from '../compose.js';
import { type DeliveryOptions, type DeliveryResult, deliverTagged } from '../digest/deliver-tagged.js';
import type { DigestSink } from '../digest/digest-sink.js';
import type { SlackMessage } from '../digest/render-blocks.js';
import type { WatchMessage } from '../store/watch-repository.js';

/**
 * Delivers one claimed watch message through the sink exactly once (see deliverTagged: tagged with
 * its id, the channel checked after an interruption), as a reply in its parent's thread for an update.
 * An update whose parent failed for good fails too; one whose parent is still pending waits. Returns
 * null when nothing was tried.
 */
export async function deliverWatchMessage(
  s: Services,
  sink: DigestSink,
  m: WatchMessage,
  o: DeliveryOptions = {},
): Promise<DeliveryResult | null> {
  const w = s.watch;
  if (m.kind === 'update' && !m.parentTs) {
    const parent = m.parentId === null ? undefined : await w.message(m.parentId);
    if (parent && parent.status !== 'failed') {
      await w.releaseLease(m.id);
      return null;
    }
    const error = 'watch: the announcement this update replies to was never posted';
    await w.markFailed(m.id, error);
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
      messages: async () => {
        const body = await w.body<SlackMessage>(m.id);
        return body ? [body] : [];
      },
      countAttempt: async () => await w.countAttempt(m.id),
      postedParts: async () => {
        const ts = (await w.message(m.id))?.messageTs;
        return new Map(ts ? [[0, ts]] : []);
      },
      recordPart: async (_part, ts) => await w.recordTs(m.id, ts),
      markPosted: async (ts, at) => await w.markPosted(m.id, ts, at),
      markFailed: async (error) => await w.markFailed(m.id, error),
      noteError: async (error) => await w.noteError(m.id, error),
      outcome: (outcome) => s.metrics.watchPosts.inc({ outcome }),
    },
    o,
  );
  // A deferred post (rate limit, Slack down) is retried by the next run, not after the lease.
  if (result.status === 'pending') await w.releaseLease(m.id);
  else if (result.status === 'posted')
    s.logger.info('watch: posted', { channel: m.channelId, kind: m.kind, watchMessageId: m.id });
  return result;
}
