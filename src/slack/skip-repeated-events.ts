import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Services } from '../compose.js';

/**
 * Global middleware: an Events API delivery whose event_id was already claimed — Slack's retry
 * (X-Slack-Retry-Num) or a copy another process received — is acknowledged and dropped, so a mention
 * is answered once and costs one model call. Claims live in the database (SlackEventRepository), so
 * they hold across restarts and across processes sharing the file. Works the same in Socket Mode.
 */
export function skipRepeatedEvents(s: Services): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && eventId !== '' && !(await s.slackEvents.claim(eventId, s.clock.now()))) {
      s.logger.info('slack: skipped a repeated delivery of an event already handled', { eventId });
      return;
    }
    await next();
  };
}
