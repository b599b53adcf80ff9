import { DIGEST_ACTIONS } from '../digest/render-blocks.js';

/** The slash command; manifest.yml declares the same. */
export const COMMAND = '/ai-news' as const;

/** Events the app listens to with app.event (manifest `settings.event_subscriptions.bot_events`). */
export const EVENTS = ['app_home_opened', 'app_mention', 'app_uninstalled', 'tokens_revoked'] as const;

/** Events Bolt's Assistant handles for the AI assistant pane (also in the manifest's bot events). */
export const ASSISTANT_EVENTS = ['assistant_thread_started', 'assistant_thread_context_changed', 'message.im'] as const;

/** Block action ids: digest controls and App Home buttons. */
export const ACTIONS = {
  ...DIGEST_ACTIONS,
  homeAddFeed: 'home_add_feed',
  homeRemoveFeeds: 'home_remove_feeds',
  homeImportOpml: 'home_import_opml',
  homeChannelSettings: 'home_channel_settings',
  homeAddWatch: 'home_add_watch',
  homeRemoveWatches: 'home_remove_watches',
} as const;

/** Modal callback ids. */
export const VIEWS = {
  addFeed: 'modal_add_feed',
  removeFeeds: 'modal_remove_feeds',
  importOpml: 'modal_import_opml',
  channelSettings: 'modal_channel_settings',
  addWatch: 'modal_add_watch',
  removeWatches: 'modal_remove_watches',
} as const;

/** Bot scopes the code needs, and nothing more (manifest `oauth_config.scopes.bot`). */
export const BOT_SCOPES = [
  'commands', // /ai-news
  'chat:write', // digests, replies, admin DMs
  'app_mentions:read', // @ai-news questions
  'channels:history', // find digest messages after a crash (public channels)
  'groups:history', // … and private channels
  'users:read', // workspace admins and owners
  'im:write', // DM admins about failing feeds
  'files:write', // charts: `/ai-news trends chart` and the weekly chart in a digest thread
  'assistant:write', // the AI assistant pane: status, suggested prompts, titles
  'im:history', // questions asked in the assistant pane (message.im)
] as const;
