import type { App } from '@slack/bolt';
import { runCommand } from '../../commands/run-command.js';
import { errorMessage } from '../../core/errors.js';
import { clip, escapeMrkdwn } from '../../digest/escape-mrkdwn.js';
import { decodeSlackText } from '../decode-slack-text.js';
import { buildHomeView } from '../home-view.js';
import { dataTeam, requestTeam, type SlackDeps } from '../slack-deps.js';

/** App Home (views.publish on open) and @-mentions (a question answered in the thread). */
export function registerEventListeners(app: App, deps: SlackDeps): void {
  const s = deps.services;
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id;
    await client.views.publish({
      user_id: event.user,
      view: await buildHomeView(s, await deps.isAdmin(teamId, event.user), dataTeam(deps, teamId)),
    });
  });

  app.event('app_mention', async ({ event, body, client }) => {
    // Mentions of people (the bot's own first) are not part of the question; the rest is decoded once.
    const question = decodeSlackText((event.text ?? '').replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ''))
      .normalize('NFC')
      .trim();
    const user = event.user ?? 'unknown';
    const reply = question
      ? await runCommand(
          {
            services: s,
            actor: { id: user, isAdmin: async () => false },
            channelId: event.channel,
            teamId: requestTeam(deps, (body as { team_id?: string }).team_id),
            surface: 'slack',
          },
          ['ask', ...question.split(/\s+/)],
        )
      : { text: 'Ask me about AI models, e.g. "what did DeepSeek release this week?"' };
    try {
      await client.chat.postMessage({
        channel: event.channel,
        thread_ts: event.thread_ts ?? event.ts,
        text: clip(escapeMrkdwn(reply.text), 3900),
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (err) {
      s.logger.warn('slack: mention reply failed', { error: errorMessage(err) });
    }
  });
}
