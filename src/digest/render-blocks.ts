import type { Digest, DigestStory } from './compose-digest.js';
import { clip, escapeMrkdwn, inertMrkdwn, mrkdwnLink } from './escape-mrkdwn.js';
import { formatDay } from './labels.js';
import { renderText } from './render-text.js';

/** Slack's limits, enforced here rather than discovered at post time. @see https://api.slack.com/reference/block-kit/blocks */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  buttonText: 75,
  fallbackText: 4000,
} as const;

/** Action ids of digest controls; the Slack adapter registers handlers for exactly these. */
export const DIGEST_ACTIONS = {
  sources: 'digest_sources',
  voteUp: 'digest_vote_up',
  voteDown: 'digest_vote_down',
} as const;

export type Block = Record<string, unknown> & { type: string };
/** One Slack message: blocks and the text fallback notifications and screen readers use. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: clip(text, LIMITS.contextText) });
const section = (text: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionText) },
});
const context = (...texts: string[]): Block => ({
  type: 'context',
  elements: texts.filter(Boolean).slice(0, LIMITS.contextElements).map(mrkdwn),
});
const button = (text: string, actionId: string, value: string): Record<string, unknown> => ({
  type: 'button',
  text: { type: 'plain_text', text: clip(text, LIMITS.buttonText), emoji: true },
  action_id: actionId,
  value,
});

function storyBlocks(d: Digest, s: DigestStory, interactive: boolean): Block[] {
  const l = d.labels;
  const title = `*${mrkdwnLink(s.url, s.title)}*`;
  const note = s.originalLanguage ? ` _(${escapeMrkdwn(l.inLanguage(s.originalLanguage))})_` : '';
  const blocks: Block[] = [{ ...section(`${title}\n${inertMrkdwn(s.summary)}${note}`), block_id: `story-${s.id}` }];
  const links = s.sources
    .slice(0, 6)
    .map((x) => mrkdwnLink(x.url, x.feed ?? x.title))
    .join(' · ');
  const extra = s.sources.length > 6 ? ` +${s.sources.length - 6}` : '';
  blocks.push(
    context(
      `${l.sources(s.sources.length)}: ${links}${extra}`,
      s.labs.length ? inertMrkdwn(s.labs.join(' · ')) : '',
      s.watched ? `🔔 _${escapeMrkdwn(l.watched)}_` : '',
    ),
  );
  if (interactive) {
    blocks.push({
      type: 'actions',
      block_id: `actions-${s.id}`,
      elements: [
        button(`${l.sources(s.sources.length)}`, DIGEST_ACTIONS.sources, String(s.id)),
        button('👍', DIGEST_ACTIONS.voteUp, String(s.id)),
        button('👎', DIGEST_ACTIONS.voteDown, String(s.id)),
      ],
    });
  }
  return blocks;
}

function modelsBlocks(d: Digest): Block[] {
  if (d.newModels.length === 0) return [];
  const lines = d.newModels.map(
    (m) =>
      `• ${mrkdwnLink(m.url, m.name)}${m.lab ? ` — ${inertMrkdwn(m.lab)}` : ''} — ${inertMrkdwn(m.origin)} · ${inertMrkdwn(m.openness)}`,
  );
  const out: Block[] = [{ type: 'divider' }, section(`*${escapeMrkdwn(d.labels.newModels)}*`)];
  let chunk = '';
  for (const line of lines) {
    if (chunk && chunk.length + line.length + 1 > LIMITS.sectionText) {
      out.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) out.push(section(chunk));
  return out;
}

function changesBlocks(d: Digest): Block[] {
  const changes = d.modelChanges ?? [];
  if (changes.length === 0) return [];
  const lines = changes.map((c) => `• ${inertMrkdwn(c.text)}`).join('\n');
  const more = d.moreChanges
    ? [context(escapeMrkdwn(d.labels.moreChanges(d.moreChanges)).replace(/&lt;|&gt;/g, ''))]
    : [];
  return [{ type: 'divider' }, section(`*${escapeMrkdwn(d.labels.modelChanges)}*\n${lines}`), ...more];
}

function footer(d: Digest): Block {
  const l = d.labels;
  const how = d.model === 'offline' ? l.offline : l.summariesBy(d.model);
  return context(
    escapeMrkdwn(d.windowText),
    inertMrkdwn(how),
    d.tokens > 0 ? escapeMrkdwn(l.tokens(d.tokens)) : '',
    l.settings,
  );
}

/**
 * Renders a digest as Slack messages within Block Kit's limits. What does not fit one message (50
 * blocks) continues in further messages, which the sink posts in the first one's thread.
 */
export function renderBlocks(d: Digest, options: { interactive?: boolean } = {}): SlackMessage[] {
  const l = d.labels;
  const day = formatDay(new Date(d.to), d.language, d.timeZone);
  const header: Block = {
    type: 'header',
    text: { type: 'plain_text', text: clip(`${l.title} — ${day}`, LIMITS.headerText), emoji: true },
  };
  const body: Block[] = [];
  if (d.quiet) body.push(section(escapeMrkdwn(l.quiet)));
  else {
    if (d.stories.length > 0) body.push(section(`*${escapeMrkdwn(l.topStories)}*`));
    for (const s of d.stories) body.push(...storyBlocks(d, s, options.interactive ?? false));
    if (d.more > 0) body.push(context(escapeMrkdwn(l.more(d.more)).replace(/&lt;|&gt;/g, '')));
    body.push(...modelsBlocks(d));
    body.push(...changesBlocks(d));
    if (d.pulse || d.usagePulse)
      body.push(
        { type: 'divider' },
        context(`*${escapeMrkdwn(l.pulse)}*`, inertMrkdwn(d.pulse), inertMrkdwn(d.usagePulse ?? '')),
      );
  }
  body.push(footer(d));
  const messages: Block[][] = [[header]];
  for (const block of body) {
    let current = messages[messages.length - 1] as Block[];
    // Keep a story's blocks together where possible: start a new message when one would not fit.
    if (current.length >= LIMITS.blocksPerMessage) {
      current = [context(`_${escapeMrkdwn(l.continued)}_`)];
      messages.push(current);
    }
    current.push(block);
  }
  // Slack formats the fallback text as mrkdwn too (notifications, screen readers): escape it like the rest.
  const fallback = escapeMrkdwn(renderText(d));
  return messages.map((blocks, i) => ({
    text: clip(i === 0 ? fallback : `${l.title} (${l.continued} ${i + 1}/${messages.length})`, LIMITS.fallbackText),
    blocks,
  }));
}
