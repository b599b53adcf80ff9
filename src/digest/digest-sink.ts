import type { Chart } from '../charts/chart-spec.js';
import type { SlackMessage } from './render-blocks.js';

/** Why a post failed, as far as delivery needs to know. */
export class SinkError extends Error {
  constructor(
    /** rate_limited: not posted, retry later · ambiguous: may have been posted · fatal: retrying will not help */
    readonly kind: 'rate_limited' | 'ambiguous' | 'fatal',
    message: string,
    /** @unit milliseconds */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SinkError';
  }
}

/** The record families whose messages carry tags; each counts its ids separately. */
export type TagKind = 'digest' | 'watch';

/** Identifies one message of one digest (or watch post), carried with the post so a restart can find it. */
export interface PartTag {
  /** The record the message belongs to: a digest id, or a watch message id when `kind` is 'watch'. */
  digestId: number;
  part: number;
  /** Which family `digestId` counts in; a digest when absent. */
  kind?: TagKind;
}

/** Where digests and watch posts go: Slack in production, the terminal on the command line, a recorder in tests. */
export interface DigestSink {
  post(channel: string, message: SlackMessage, options: { threadTs?: string; tag: PartTag }): Promise<{ ts: string }>;
  /**
   * Parts of a digest (or of a watch message, with kind 'watch') already in the channel, found by their
   * tags: top-level messages posted since `since`, and replies in the thread of `parentTs`.
   */
  findPosted(
    channel: string,
    digestId: number,
    since: Date,
    parentTs?: string,
    kind?: TagKind,
  ): Promise<Map<number, string>>;
  /** Shares a chart image (in a thread when `threadTs` is given); sinks that cannot show images leave it out. */
  uploadChart?(channel: string, chart: Chart, options: { threadTs?: string }): Promise<void>;
}
