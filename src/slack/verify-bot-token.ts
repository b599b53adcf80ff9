import { ErrorCode, type WebAPIPlatformError, type WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import { AppError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** Who the bot token belongs to: what Bolt would otherwise ask auth.test for on its own. */
export interface BotIdentity {
  botId: string;
  botUserId: string;
  teamId?: string;
}

/** auth.test answers that no retry will fix: the operator must set a working token. */
const REFUSED: Record<string, string> = {
  invalid_auth: 'is not a valid token',
  not_authed: 'was not sent',
  token_revoked: 'was revoked',
  token_expired: 'has expired',
  account_inactive: 'belongs to a deactivated app or workspace',
  no_permission: 'lacks permission to call auth.test',
};

export interface VerifyOptions {
  logger: Logger;
  /** First wait after a transient failure; doubles up to `maxDelayMs`. @unit milliseconds */
  retryBaseMs?: number;
  /** @unit milliseconds */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Checks the bot token with auth.test before anything is served. A token Slack refuses is an
 * AppError('slack_auth') whose one-line message names SLACK_BOT_TOKEN; anything else (internal_error,
 * rate limits, HTTP errors, an unreachable network) is waited out with capped exponential backoff,
 * so a Slack incident during a deploy delays the start instead of crash-looping it.
 * @see https://docs.slack.dev/reference/methods/auth.test
 */
export async function verifyBotToken(client: WebClient, o: VerifyOptions): Promise<BotIdentity> {
  const sleep = o.sleep ?? realSleep;
  const base = o.retryBaseMs ?? 250;
  const cap = o.maxDelayMs ?? 30_000;
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await client.auth.test();
      if (!r.bot_id || !r.user_id)
        throw new AppError(
          'slack_auth',
          'SLACK_BOT_TOKEN is not a bot token (auth.test returned no bot). Use the Bot User OAuth Token (xoxb-…).',
        );
      return { botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id };
    } catch (err) {
      if (err instanceof AppError) throw err;
      const e = err as { code?: string };
      const code = e.code === ErrorCode.PlatformError ? (err as WebAPIPlatformError).data.error : undefined;
      const why = code ? REFUSED[code] : undefined;
      if (code && why)
        throw new AppError(
          'slack_auth',
          `SLACK_BOT_TOKEN was refused by Slack (${code}): the token ${why}. Set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-…, under OAuth & Permissions) and start again.`,
        );
      const retryAfterMs =
        e.code === ErrorCode.RateLimitedError ? (err as WebAPIRateLimitedError).retryAfter * 1000 : undefined;
      const delay = Math.min(cap, retryAfterMs ?? base * 2 ** Math.min(attempt, 20));
      o.logger.warn('slack: could not check SLACK_BOT_TOKEN yet; retrying', {
        attempt: attempt + 1,
        error: code ?? errorMessage(err),
        retryInMs: delay,
      });
      await sleep(delay);
    }
  }
}
