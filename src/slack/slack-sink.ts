import { ErrorCode, type WebAPIPlatformError, type WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import { type DigestSink, SinkError, type TagKind } from '../digest/digest-sink.js';
import { uploadChart } from './upload-chart.js';

/** Message metadata type our digest messages carry, so a restart can find what was already posted. */
export const DIGEST_EVENT = 'ai_news_digest';
/** The same for watch posts (announcements, folds, threaded updates), which count ids of their own. */
export const WATCH_EVENT = 'ai_news_watch';

/** Metadata event type and the payload key holding the record id, per tag kind. */
const TAGS: Record<TagKind, { event: string; idKey: string }> = {
  digest: { event: DIGEST_EVENT, idKey: 'digest_id' },
  watch: { event: WATCH_EVENT, idKey: 'watch_message_id' },
};

// Errors that will not go away by retrying: the operator has to act.
const FATAL: Record<string, string> = {
  channel_not_found: 'the channel does not exist or the bot cannot see it',
  not_in_channel: 'the bot is not in the channel; invite it with /invite @ai-news',
  is_archived: 'the channel is archived',
  invalid_auth: 'the Slack token is invalid (check SLACK_BOT_TOKEN)',
  not_authed: 'no Slack token was sent (check SLACK_BOT_TOKEN)',
  account_inactive: 'the Slack app or its token was deactivated',
  token_revoked: 'the Slack token was revoked',
  missing_scope: 'the app lacks a scope in manifest.yml; reinstall it',
  restricted_action: 'the workspace does not allow the bot to post there',
  msg_too_long: 'the message is too long',
  invalid_blocks: 'Slack rejected the message blocks',
};

/**
 * A WebClient for our use: no blind retries (a retried post can duplicate), 429s surfaced to us, and a
 * call that has not answered in `timeoutMs` given up as ambiguous (delivery then looks before posting).
 */
export function createWebClient(token: string, apiUrl?: string, timeoutMs = 15_000): WebClient {
  return new WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  });
}

function toSinkError(err: unknown): SinkError {
  const e = err as { code?: string; data?: { error?: string }; retryAfter?: number; message?: string };
  if (e.code === ErrorCode.RateLimitedError) {
    const r = err as WebAPIRateLimitedError;
    return new SinkError('rate_limited', `slack: rate limited; retry after ${r.retryAfter} s`, r.retryAfter * 1000);
  }
  if (e.code === ErrorCode.PlatformError) {
    const code = (err as WebAPIPlatformError).data.error;
    const why = FATAL[code];
    if (why) return new SinkError('fatal', `slack: ${code}: ${why}`);
    if (code === 'ratelimited') return new SinkError('rate_limited', 'slack: rate limited', 1000);
    return new SinkError('ambiguous', `slack: ${code}`);
  }
  return new SinkError('ambiguous', `slack: ${e.message ?? String(err)}`);
}

/** The Slack sink: chat.postMessage with unfurls off and digest (or watch) metadata; history to recover. */
export function createSlackSink(client: WebClient): DigestSink {
  return {
    async post(channel, message, options) {
      const tag = TAGS[options.tag.kind ?? 'digest'];
      try {
        const res = await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks as never,
          thread_ts: options.threadTs,
          unfurl_links: false,
          unfurl_media: false,
          metadata: {
            event_type: tag.event,
            event_payload: { [tag.idKey]: options.tag.digestId, part: options.tag.part },
          },
        });
        if (!res.ts) throw new SinkError('ambiguous', 'slack: chat.postMessage returned no ts');
        return { ts: res.ts };
      } catch (err) {
        throw err instanceof SinkError ? err : toSinkError(err);
      }
    },
    async uploadChart(channel, chart, options) {
      try {
        await uploadChart(client, channel, chart, { threadTs: options.threadTs });
      } catch (err) {
        throw toSinkError(err);
      }
    },
    async findPosted(channel, digestId, since, parentTs, kind = 'digest') {
      const tag = TAGS[kind];
      const found = new Map<number, string>();
      const scan = (
        messages:
          | { ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }[]
          | undefined,
      ) => {
        for (const m of messages ?? []) {
          const p = m.metadata?.event_payload;
          if (m.metadata?.event_type === tag.event && Number(p?.[tag.idKey]) === digestId && m.ts)
            found.set(Number(p?.part), m.ts);
        }
      };
      try {
        const history = await client.conversations.history({
          channel,
          oldest: String(since.getTime() / 1000),
          include_all_metadata: true,
          limit: 200,
        });
        scan(history.messages as never);
        const parent = parentTs ?? found.get(0);
        if (parent) {
          const replies = await client.conversations.replies({
            channel,
            ts: parent,
            include_all_metadata: true,
            limit: 200,
          });
          scan(replies.messages as never);
        }
      } catch (err) {
        throw toSinkError(err);
      }
      return found;
    },
  };
}
