import { AppError } from '../core/errors.js';
import { composeDigest } from '../digest/compose-digest.js';
import { renderBlocks } from '../digest/render-blocks.js';
import { renderMarkdown } from '../digest/render-markdown.js';
import { renderText } from '../digest/render-text.js';
import { channelZone, sendDigest } from '../digest/send-digest.js';
import { parseDuration } from './format.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

const FORMATS = ['text', 'markdown', 'blocks', 'json'] as const;

/** `digest [preview|now] [24h|7d] [--since 24h] [--format text|markdown|blocks|json]`. */
export async function digestCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const s = ctx.services;
  const words = p.args.map((a) => a.toLowerCase());
  const mode = words.includes('now') ? 'now' : 'preview';
  const windowWord =
    (typeof p.flags.since === 'string' ? p.flags.since : undefined) ?? words.find((w) => parseDuration(w) !== null);
  const windowMs = windowWord ? parseDuration(windowWord) : null;
  if (windowWord && windowMs === null) throw new AppError('usage', `"${windowWord}" is not a window; use 24h or 7d`);
  if (mode === 'now') {
    if (!ctx.channelId)
      throw new AppError(
        'usage',
        'digest now needs a channel: run it in the channel, or pass --channel C0123 on the command line',
      );
    if (!ctx.sink) throw new AppError('usage', 'digest now needs Slack: set SLACK_BOT_TOKEN, or use `digest preview`');
    const key = `manual:${s.clock.now().toISOString()}`;
    const r = await sendDigest(s, ctx.sink, ctx.channelId, key, { windowMs: windowMs ?? undefined });
    if (r.status === 'posted')
      return { text: `Digest posted to ${ctx.channelId} (${r.parts} message${r.parts === 1 ? '' : 's'}).`, json: r };
    return { text: `The digest was not posted: ${r.error}`, json: r, exitCode: 1 };
  }
  const channel = ctx.channelId ? s.channels.get(ctx.channelId) : undefined;
  const now = s.clock.now();
  const last = ctx.channelId ? s.digests.lastPosted(ctx.channelId) : undefined;
  const from =
    windowMs !== null
      ? new Date(now.getTime() - windowMs)
      : last
        ? new Date(last.windowTo)
        : new Date(now.getTime() - 86_400_000);
  const digest = await composeDigest(s, {
    channelId: ctx.channelId ?? null,
    from,
    to: now,
    language: channel?.language ?? undefined,
    timeZone: channel ? channelZone(s, channel) : undefined,
    topics: channel?.topics,
  });
  const messages = renderBlocks(digest, { interactive: false });
  const format = typeof p.flags.format === 'string' ? p.flags.format : ctx.surface === 'slack' ? 'blocks' : 'text';
  if (!(FORMATS as readonly string[]).includes(format))
    throw new AppError('usage', `--format must be one of ${FORMATS.join(', ')}`);
  const json = {
    text: renderText(digest),
    blocks: messages[0]?.blocks ?? [],
    messages,
    window: { from: digest.from, to: digest.to },
    model: digest.model,
    tokens: digest.tokens,
    more: digest.more,
    stories: digest.stories.map((st) => ({
      id: st.id,
      title: st.title,
      url: st.url,
      summary: st.summary,
      summarySource: st.summarySource,
      sources: st.sources,
      labs: st.labs,
    })),
    newModels: digest.newModels,
    pulse: digest.pulse,
  };
  if (format === 'json') return { text: JSON.stringify(json, null, 2), json, visibility: 'ephemeral' };
  if (format === 'markdown') return { text: renderMarkdown(digest), json, visibility: 'ephemeral' };
  if (format === 'blocks' && ctx.surface === 'cli')
    return { text: JSON.stringify(messages, null, 2), json, visibility: 'ephemeral' };
  return { text: json.text, blocks: messages[0]?.blocks, json, visibility: 'ephemeral' };
}
