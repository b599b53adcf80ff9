import type { WebClient } from '@slack/web-api';
import type { Services } from '../compose.js';
import { DEFAULT_TEAM } from '../core/team.js';
import { escapeMrkdwn, mrkdwnLink } from '../digest/escape-mrkdwn.js';
import { collectFeedAlerts } from '../ingest/feed-alerts.js';

/**
 * DMs each admin in ADMIN_USER_IDS once per feed episode (paused or stale) of the team's feeds, through
 * the team's client; App Home shows the rest.
 */
export async function sendFeedAlerts(s: Services, client: WebClient, team: string = DEFAULT_TEAM): Promise<number> {
  const alerts = await collectFeedAlerts(s, team);
  if (alerts.length === 0 || s.config.adminUserIds.length === 0) return alerts.length;
  const lines = alerts.map(
    (a) =>
      `• ${a.state === 'paused' ? '⏸️' : '💤'} #${a.feedId} ${mrkdwnLink(a.url, a.title)}: ${escapeMrkdwn(a.detail)}`,
  );
  const text = `*Feeds that need attention*\n${lines.join('\n')}\n\`/ai-news feeds resume <id>\` retries a paused feed; \`/ai-news feeds remove <id>\` drops it.`;
  for (const admin of s.config.adminUserIds) {
    try {
      await client.chat.postMessage({ channel: admin, text, unfurl_links: false });
    } catch (err) {
      s.logger.warn('slack: feed alert DM failed', { admin, error: (err as Error).message });
    }
  }
  return alerts.length;
}
