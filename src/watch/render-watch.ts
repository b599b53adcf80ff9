import { clip, escapeMrkdwn, inertMrkdwn, mrkdwnLink } from '../digest/escape-mrkdwn.js';
import { type Block, LIMITS, type SlackMessage } from '../digest/render-blocks.js';
import type { ModelChange } from './model-change-source.js';
import type { WatchLabels } from './watch-labels.js';

/** A story as a watch message shows it. */
export interface WatchStoryView {
  id: number;
  title: string;
  url: string | null;
  summary: string;
  sources: { title: string; url: string | null; feed: string | null }[];
  /** Display names of its labs, origin and openness. */
  tags: string[];
  kind: 'story' | 'release';
}

/** The rule that matched, shown so a channel knows why it got the post. */
export interface RuleRef {
  id: number;
  topics: string;
}

const section = (text: string, blockId?: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionText) },
  ...(blockId ? { block_id: blockId } : {}),
});
const context = (...texts: string[]): Block => ({
  type: 'context',
  elements: texts
    .filter(Boolean)
    .slice(0, LIMITS.contextElements)
    .map((text) => ({ type: 'mrkdwn', text: clip(text, LIMITS.contextText) })),
});
/** The notification fallback: Slack formats it as mrkdwn too, so untrusted text is escaped like the rest. */
const plain = escapeMrkdwn;

function sourceLinks(sources: WatchStoryView['sources'], max = 6): string {
  const links = sources
    .slice(0, max)
    .map((x) => mrkdwnLink(x.url, x.feed ?? x.title))
    .join(' · ');
  return sources.length > max ? `${links} +${sources.length - max}` : links;
}

/** One story, posted the moment a watch rule matches it: title, summary, sources, tags, the rule. */
export function renderAnnouncement(v: WatchStoryView, l: WatchLabels, rule: RuleRef | null): SlackMessage {
  const badge = v.kind === 'release' ? `${escapeMrkdwn(l.release)}: ` : '';
  const blocks: Block[] = [
    section(`🔔 ${badge}*${mrkdwnLink(v.url, v.title)}*\n${inertMrkdwn(v.summary)}`, `watch-story-${v.id}`),
    context(
      `${escapeMrkdwn(l.sources(v.sources.length))}: ${sourceLinks(v.sources)}`,
      inertMrkdwn(v.tags.join(' · ')),
      rule ? `_${inertMrkdwn(l.rule(rule.id, rule.topics))}_` : '',
    ),
  ];
  return { text: clip(plain(`🔔 ${v.title} — ${v.summary}`), LIMITS.fallbackText), blocks };
}

/** A model-list change a `kind:change` rule asked for. */
export function renderChange(c: ModelChange, tags: string[], l: WatchLabels, rule: RuleRef | null): SlackMessage {
  const blocks: Block[] = [
    section(`🔔 ${escapeMrkdwn(l.change)}: *${mrkdwnLink(c.url, c.name)}*\n${inertMrkdwn(c.detail)}`),
    context(inertMrkdwn(tags.join(' · ')), rule ? `_${inertMrkdwn(l.rule(rule.id, rule.topics))}_` : ''),
  ];
  return { text: clip(plain(`🔔 ${l.change}: ${c.name} — ${c.detail}`), LIMITS.fallbackText), blocks };
}

/** The overflow past a channel's hourly cap, folded into one message: one line per story or change. */
export function renderFold(
  entries: ({ story: WatchStoryView } | { change: ModelChange })[],
  l: WatchLabels,
  cap: number,
): SlackMessage {
  const lines = entries.map((e) =>
    'story' in e
      ? `• ${mrkdwnLink(e.story.url, e.story.title)} — ${inertMrkdwn([l.sources(e.story.sources.length), ...e.story.tags.slice(0, 2)].join(' · '))}`
      : `• ${escapeMrkdwn(l.change)}: ${mrkdwnLink(e.change.url, e.change.name)} — ${inertMrkdwn(e.change.detail)}`,
  );
  const blocks: Block[] = [section(`🔔 ${escapeMrkdwn(l.fold(entries.length, cap))}`)];
  let chunk = '';
  for (const line of lines) {
    if (blocks.length >= LIMITS.blocksPerMessage - 1) break;
    if (chunk && chunk.length + line.length + 1 > LIMITS.sectionText) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push(section(chunk));
  const titles = entries.map((e) => ('story' in e ? e.story.title : e.change.name)).join('; ');
  return { text: clip(plain(`🔔 ${l.fold(entries.length, cap)} ${titles}`), LIMITS.fallbackText), blocks };
}

/** Later sources of an announced story, as one threaded reply ("+2 sources: …"). */
export function renderUpdate(
  sources: WatchStoryView['sources'],
  l: WatchLabels,
  storyTitle: string | null,
): SlackMessage {
  const head = storyTitle ? l.moreSourcesFor(sources.length, storyTitle) : l.moreSources(sources.length);
  const lines = sources
    .slice(0, 10)
    .map((x) => `• ${mrkdwnLink(x.url, x.title)}${x.feed ? ` — ${inertMrkdwn(x.feed)}` : ''}`);
  if (sources.length > 10) lines.push(`… +${sources.length - 10}`);
  const names = sources.map((x) => x.feed ?? x.title).join(', ');
  return {
    text: clip(plain(`${head}: ${names}`), LIMITS.fallbackText),
    blocks: [section(`*${inertMrkdwn(head)}*\n${lines.join('\n')}`)],
  };
}
