import type { Services } from '../compose.js';
import type { DigestRecord } from '../store/digest-repository.js';
import { type DeliveryOptions, type DeliveryResult, deliverTagged } from './deliver-tagged.js';
import type { DigestSink } from './digest-sink.js';
import type { SlackMessage } from './render-blocks.js';

export type { DeliveryOptions, DeliveryResult } from './deliver-tagged.js';

/**
 * Posts a claimed digest exactly once (see deliverTagged): each message carries the digest id and part
 * as metadata, and an interrupted attempt is finished from what the channel already shows.
 */
export async function deliverDigest(
  s: Services,
  sink: DigestSink,
  record: DigestRecord,
  o: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const d = s.digests;
  const id = record.id;
  return deliverTagged(
    s,
    sink,
    {
      kind: 'digest',
      id,
      channelId: record.channelId,
      attempts: record.attempts,
      createdAt: record.createdAt,
      messages: async () => await d.messages<SlackMessage>(id),
      countAttempt: async () => await d.countAttempt(id),
      postedParts: async () => await d.postedParts(id),
      recordPart: async (part, ts) => await d.recordPart(id, part, ts),
      markPosted: async (ts, now) => await d.markPosted(id, ts, now),
      markFailed: async (error) => await d.markFailed(id, error),
      noteError: async (error) => await d.noteError(id, error),
      outcome: (outcome) => s.metrics.digests.inc({ outcome }),
    },
    o,
  );
}
