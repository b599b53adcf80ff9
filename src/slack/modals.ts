import type { types } from '@slack/bolt';

type View = types.View;

import type { Services } from '../compose.js';
import { clip } from '../digest/escape-mrkdwn.js';
import { VIEWS } from './ids.js';

const input = (blockId: string, label: string, element: Record<string, unknown>, optional = false, hint?: string) => ({
  type: 'input',
  block_id: blockId,
  optional,
  label: { type: 'plain_text', text: label },
  element,
  ...(hint ? { hint: { type: 'plain_text', text: hint } } : {}),
});
const modal = (callbackId: string, title: string, submit: string, blocks: unknown[]): View =>
  ({
    type: 'modal',
    callback_id: callbackId,
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  }) as View;

export function addFeedModal() {
  return modal(VIEWS.addFeed, 'Add a feed', 'Add', [
    input(
      'url',
      'Feed URL',
      { type: 'url_text_input', action_id: 'value' },
      false,
      'RSS, Atom or JSON Feed. It is fetched once to check it before it is saved.',
    ),
    input('name', 'Name', { type: 'plain_text_input', action_id: 'value', max_length: 100 }, true),
  ]);
}

export async function removeFeedsModal(s: Services, team: string) {
  const options = (await s.feeds.list(team)).slice(0, 100).map((f) => ({
    text: { type: 'plain_text', text: clip(`#${f.id} ${f.title ?? f.url}`, 75) },
    value: String(f.id),
  }));
  if (options.length === 0)
    return modal(VIEWS.removeFeeds, 'Remove feeds', 'Close', [
      { type: 'section', text: { type: 'mrkdwn', text: 'No feeds to remove.' } },
    ]);
  return modal(VIEWS.removeFeeds, 'Remove feeds', 'Remove', [
    input('feeds', 'Feeds to remove', { type: 'multi_static_select', action_id: 'value', options }),
  ]);
}

export function importOpmlModal() {
  return modal(VIEWS.importOpml, 'Import OPML', 'Import', [
    input(
      'source',
      'OPML URL or contents',
      { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
      false,
      'Paste an OPML file (up to 3,000 characters) or give its https URL.',
    ),
  ]);
}

const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Madrid',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Mexico_City',
  'America/Sao_Paulo',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Australia/Sydney',
];
const LANGUAGES = [
  ['en', 'English'],
  ['es', 'Español'],
  ['pt', 'Português'],
  ['fr', 'Français'],
  ['de', 'Deutsch'],
  ['zh', '中文'],
];

export function channelSettingsModal() {
  const opt = (value: string, text = value) => ({ text: { type: 'plain_text', text }, value });
  return modal(VIEWS.channelSettings, 'Digest settings', 'Save', [
    input('channel', 'Channel', {
      type: 'conversations_select',
      action_id: 'value',
      filter: { include: ['public', 'private'], exclude_bot_users: true },
    }),
    input('time', 'Time', { type: 'timepicker', action_id: 'value', initial_time: '08:00' }),
    input('tz', 'Time zone', { type: 'static_select', action_id: 'value', options: ZONES.map((z) => opt(z)) }, true),
    input(
      'language',
      'Language',
      { type: 'static_select', action_id: 'value', options: LANGUAGES.map(([v, t]) => opt(v as string, t)) },
      true,
    ),
    input(
      'topics',
      'Topics',
      { type: 'plain_text_input', action_id: 'value', max_length: 500 },
      true,
      'e.g. lab:deepseek origin:CN open -lab:meta',
    ),
  ]);
}

/** Adds a watch rule to a channel: the same words as `/ai-news watch add`. */
export function addWatchModal() {
  return modal(VIEWS.addWatch, 'Add a watch rule', 'Add', [
    input('channel', 'Channel', {
      type: 'conversations_select',
      action_id: 'value',
      filter: { include: ['public', 'private'], exclude_bot_users: true },
    }),
    input(
      'topics',
      'Watch for',
      { type: 'plain_text_input', action_id: 'value', max_length: 500 },
      false,
      'e.g. lab:moonshot · kind:release origin:CN · open -lab:meta. Matching stories are posted to the channel at once.',
    ),
  ]);
}

/** Removes watch rules, across channels. */
export async function removeWatchesModal(s: Services, team: string) {
  const options = (await s.watch.rules())
    .filter((r) => r.teamId === team)
    .slice(0, 100)
    .map((r) => ({
      text: { type: 'plain_text', text: clip(`#${r.id} ${r.channelId}: ${r.topics}`, 75) },
      value: String(r.id),
    }));
  if (options.length === 0)
    return modal(VIEWS.removeWatches, 'Remove watch rules', 'Close', [
      { type: 'section', text: { type: 'mrkdwn', text: 'No watch rules to remove.' } },
    ]);
  return modal(VIEWS.removeWatches, 'Remove watch rules', 'Remove', [
    input('rules', 'Rules to remove', { type: 'multi_static_select', action_id: 'value', options }),
  ]);
}
