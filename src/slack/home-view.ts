import type { types } from '@slack/bolt';
import { DEFAULT_TEAM } from '../core/team.js';

type View = types.View;

import { feedState } from '../commands/feeds-command.js';
import { ago } from '../commands/format.js';
import type { Services } from '../compose.js';
import { clip, escapeMrkdwn, inertMrkdwn, mrkdwnLink } from '../digest/escape-mrkdwn.js';
import { channelZone } from '../digest/send-digest.js';
import { loadUsageShare } from '../share/load-usage-share.js';
import { sharePulseLine } from '../share/render-share.js';
import { startOfUtcDay } from '../summarize/create-summarizer.js';
import { ACTIONS } from './ids.js';

type Block = Record<string, unknown>;
const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } });
const channelRef = (id: string) => (/^[CGD][A-Z0-9]{2,}$/.test(id) ? `<#${id}>` : escapeMrkdwn(id));

/**
 * The App Home: the latest digest's headlines, subscribed channels, watch rules, feed health (failing
 * and stale first), today's model tokens, and for admins the buttons that open the management modals.
 * Stays within the 100-block limit of a view.
 */
export async function buildHomeView(s: Services, isAdmin: boolean, team: string = DEFAULT_TEAM): Promise<View> {
  const now = s.clock.now();
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: 'AI news', emoji: true } }];
  // Everything below is the viewing workspace's own: its digests, channels, rules and feeds.
  const latest = await s.digests.latestPosted(team);
  if (latest) {
    const titles = (await Promise.all(latest.storyIds.slice(0, 6).map((id) => s.stories.get(id))))
      .filter((x) => x !== undefined)
      .map((st) => `• ${inertMrkdwn(st.title)}`);
    blocks.push(
      section(
        `*Latest digest* (${ago(latest.postedAt, now)}, ${channelRef(latest.channelId)})\n${titles.join('\n') || '_a quiet day_'}`,
      ),
    );
  } else
    blocks.push(
      section(
        '*Latest digest*\n_No digest posted yet. `/ai-news subscribe 08:30 Europe/Madrid` in a channel starts one._',
      ),
    );
  const share = await loadUsageShare(s, 7);
  blocks.push({ type: 'divider' });
  blocks.push(
    section(
      `*Usage share (OpenRouter, last 7 days)*\n${
        share
          ? escapeMrkdwn(sharePulseLine(share))
          : s.config.openRouter.apiKey
            ? '_No rankings stored yet; the next poll fetches them._'
            : '_Set OPENROUTER_API_KEY to track token share by origin and openness (`/ai-news share`)._'
      }`,
    ),
  );
  const channels = (await s.channels.subscribed()).filter((c) => c.teamId === team);
  blocks.push({ type: 'divider' });
  blocks.push(
    section(
      `*Subscribed channels* (${channels.length})\n${
        channels
          .slice(0, 20)
          .map(
            (c) =>
              `• ${channelRef(c.id)} at ${escapeMrkdwn(c.digestTime)} ${escapeMrkdwn(channelZone(s, c))}${c.language ? ` · ${escapeMrkdwn(c.language)}` : ''}${c.topics ? ` · topics: ${escapeMrkdwn(c.topics)}` : ''}`,
          )
          .join('\n') || '_none yet_'
      }`,
    ),
  );
  const rules = (await s.watch.rules()).filter((r) => r.teamId === team);
  blocks.push(
    section(
      `*Watch rules* (${rules.length}): matching stories posted at once\n${
        rules
          .slice(0, 20)
          .map((r) => `• #${r.id} ${channelRef(r.channelId)}: ${escapeMrkdwn(r.topics)}`)
          .join('\n') || '_none yet: `/ai-news watch add lab:deepseek` in a channel_'
      }`,
    ),
  );
  const health = (await s.feeds.health(now, team)).map((f) => ({ ...f, state: feedState(f, now) }));
  const rank = { paused: 0, failing: 1, stale: 2, new: 3, ok: 4 } as const;
  health.sort((a, b) => rank[a.state] - rank[b.state] || a.id - b.id);
  const bad = health.filter((f) => f.state === 'paused' || f.state === 'failing' || f.state === 'stale');
  blocks.push({ type: 'divider' });
  const lines = health.slice(0, 15).map((f) => {
    const icon = { paused: '⏸️', failing: '⚠️', stale: '💤', new: '🆕', ok: '✅' }[f.state];
    const detail =
      f.state === 'ok' || f.state === 'new'
        ? `${f.itemsLastWeek}/wk, ok ${ago(f.lastSuccessAt, now)}`
        : escapeMrkdwn(clip(f.lastError ?? `newest item ${ago(f.newestItemAt, now)}`, 140));
    return `${icon} #${f.id} ${mrkdwnLink(f.siteUrl ?? f.url, f.title ?? f.url)} — ${detail}`;
  });
  blocks.push(section(`*Feeds* (${health.length}; ${bad.length} need attention)\n${lines.join('\n') || '_no feeds_'}`));
  if (health.length > 15)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${health.length - 15} more: \`/ai-news feeds\`` }],
    });
  const today = await s.usage.totals(startOfUtcDay(now), new Date(now.getTime() + 1));
  const tokens = today.reduce((n, u) => n + u.promptTokens + u.completionTokens, 0);
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: s.chat
          ? `Model ${escapeMrkdwn(s.chat.model)}: ${tokens.toLocaleString('en-US')} of ${s.config.llm.dailyTokenBudget.toLocaleString('en-US')} tokens today`
          : 'No model configured: offline summaries, no tokens spent',
      },
    ],
  });
  if (isAdmin) {
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'actions',
      block_id: 'home_admin',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Add feed' },
          action_id: ACTIONS.homeAddFeed,
          style: 'primary',
        },
        { type: 'button', text: { type: 'plain_text', text: 'Remove feeds' }, action_id: ACTIONS.homeRemoveFeeds },
        { type: 'button', text: { type: 'plain_text', text: 'Import OPML' }, action_id: ACTIONS.homeImportOpml },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Channel digest settings' },
          action_id: ACTIONS.homeChannelSettings,
        },
        { type: 'button', text: { type: 'plain_text', text: 'Add watch rule' }, action_id: ACTIONS.homeAddWatch },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Remove watch rules' },
          action_id: ACTIONS.homeRemoveWatches,
        },
      ],
    });
  }
  return { type: 'home', blocks: blocks.slice(0, 100) } as unknown as View;
}
