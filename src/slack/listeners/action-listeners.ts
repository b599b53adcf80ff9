import type { App, BlockAction, ButtonAction, types } from '@slack/bolt';

type View = types.View;

import { inertMrkdwn, mrkdwnLink } from '../../digest/escape-mrkdwn.js';
import { onePerFeed } from '../../digest/one-per-feed.js';
import { ACTIONS } from '../ids.js';
import {
  addFeedModal,
  addWatchModal,
  channelSettingsModal,
  importOpmlModal,
  removeFeedsModal,
  removeWatchesModal,
} from '../modals.js';
import { dataTeam, type SlackDeps } from '../slack-deps.js';

const REFUSAL =
  'Only admins can manage feeds, digests and watch rules. Ask a workspace admin, or someone listed in ADMIN_USER_IDS.';

/** Digest controls (sources, 👍/👎) and App Home buttons that open modals. */
export function registerActionListeners(app: App, deps: SlackDeps): void {
  const s = deps.services;

  app.action<BlockAction<ButtonAction>>(ACTIONS.sources, async ({ ack, action, body, respond }) => {
    await ack();
    const team = dataTeam(deps, body.team?.id);
    const story = await s.stories.get(Number(action.value));
    if (!story)
      return void (await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'That story is no longer stored.',
      }));
    // One line per feed (a source), however many of its reports the story holds.
    // Only the sources from this workspace's feeds (and the built-in sources).
    const all = await s.stories.sources(story.id, 100, team);
    const lines = onePerFeed(all).map((x) => {
      const more = all.filter((y) => y.feedId === x.feedId).length - 1;
      return `• ${mrkdwnLink(x.url, x.title)}${x.feedTitle ? ` — ${inertMrkdwn(x.feedTitle)}` : ''}${more > 0 ? ` (+${more} more from this feed)` : ''}`;
    });
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: `*${inertMrkdwn(story.title)}*\n${lines.join('\n')}`,
    });
  });

  for (const [actionId, value] of [
    [ACTIONS.voteUp, 1],
    [ACTIONS.voteDown, -1],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, respond }) => {
      await ack();
      const channel = body.channel?.id;
      // A story merged into an older one since the digest was posted: the vote goes to the one that lives on.
      const story = await s.stories.get(Number(action.value));
      if (!channel || !story) return;
      await s.feedback.vote(channel, story.id, body.user.id, value, s.clock.now(), dataTeam(deps, body.team?.id));
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: value > 0 ? 'Thanks — more like this in this channel.' : 'Thanks — less like this in this channel.',
      });
    });
  }

  const opener = (actionId: string, view: (team: string) => View | Promise<View>) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, client }) => {
      await ack();
      // trigger_id expires 3 s after the click: open the modal before anything slow.
      if (!(await deps.isAdmin(body.team?.id, body.user.id))) {
        await client.chat.postMessage({ channel: body.user.id, text: REFUSAL });
        return;
      }
      await client.views.open({ trigger_id: body.trigger_id, view: await view(dataTeam(deps, body.team?.id)) });
    });
  opener(ACTIONS.homeAddFeed, addFeedModal);
  opener(ACTIONS.homeRemoveFeeds, async (team) => await removeFeedsModal(s, team));
  opener(ACTIONS.homeImportOpml, importOpmlModal);
  opener(ACTIONS.homeChannelSettings, channelSettingsModal);
  opener(ACTIONS.homeAddWatch, addWatchModal);
  opener(ACTIONS.homeRemoveWatches, async (team) => await removeWatchesModal(s, team));
}
