import { AppError } from '../core/errors.js';
import { composeDigest } from '../digest/compose-digest.js';
import { renderBlocks } from '../digest/render-blocks.js';
import { renderMarkdown } from '../digest/render-markdown.js';
import { renderText } from '../digest/render-text.js';
import { channelZone, MAX_WINDOW_MS, manualDigestKey, sendDigest } from '../digest/send-digest.js';
import { teamOf } from './command-team.js';
import { parseDuration, parseWindow } from './format.js';
import { teamBucket } from './team-bucket.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

const FORMATS = ['text', 'markdown', 'blocks', 'json'] as const;
/** The longest window `digest preview` looks back over. @unit milliseconds */
const MAX_PREVIEW_MS = 90 * 86_400_000;
/** Members may ask for one digest per channel in this time; admins are not limited. @unit milliseconds */
export const DIGEST_NOW_EVERY_MS = 10 * 60_000;

/**
 * `digest now`: admins always; members at most once per channel per DIGEST_NOW_EVERY_MS, counted from
 * the last digest anyone asked for there. The use is claimed in the database before anything is
 * composed, so concurrent requests from any process post one digest; a digest that fails is given back.
 */
async function digestNow(ctx: CommandContext, channelId: string, windowMs: number | null): Promise<Reply> {
  const s = ctx.services;
  if (!ctx.sink) throw new AppError('usage', 'digest now needs Slack: set SLACK_BOT_TOKEN, or use `digest preview`');
  const team = teamOf(ctx);
  const bucket = teamBucket(team, `digest-now:${channelId}`);
  const admin = await ctx.actor.isAdmin();
  // Read after the admin check (a users.info round trip): a request's time is when it claims.
  const now = s.clock.now();
  const claim = await s.rateLimits.tryTake(bucket, admin ? Number.POSITIVE_INFINITY : 1, DIGEST_NOW_EVERY_MS, now);
  if (!claim.allowed) {
    const minutes = Math.min(
      DIGEST_NOW_EVERY_MS / 60_000,
      Math.max(1, Math.ceil((claim.retryAt.getTime() - now.getTime()) / 60_000)),
    );
    throw new AppError(
      'rate_limited',
      `A digest was already asked for here less than ${DIGEST_NOW_EVERY_MS / 60_000} minutes ago. Members can ask for another in ${minutes} min; \`digest preview\` shows it to you privately now.`,
    );
  }
  try {
    const r = await sendDigest(s, ctx.sink, channelId, manualDigestKey(now, claim.hitId), {
      windowMs: windowMs ?? undefined,
      team,
    });
    if (r.status === 'posted')
      return { text: `Digest posted to ${channelId} (${r.parts} message${r.parts === 1 ? '' : 's'}).`, json: r };
    if (r.status === 'failed') await s.rateLimits.release(claim.hitId);
    return { text: `The digest was not posted: ${r.error}`, json: r, exitCode: 1 };
  } catch (err) {
    await s.rateLimits.release(claim.hitId);
    throw err;
  }
}

/** `digest [preview|now] [24h|7d] [--since 24h] [--format text|markdown|blocks|json]`. */
export async function digestCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const s = ctx.services;
  const words = p.args.map((a) => a.toLowerCase());
  const mode = words.includes('now') ? 'now' : 'preview';
  const windowWord =
    (typeof p.flags.since === 'string' ? p.flags.since : undefined) ?? words.find((w) => parseDuration(w) !== null);
  // A posted digest covers at most MAX_WINDOW_MS; a private preview may look further back.
  const maxMs = mode === 'now' ? MAX_WINDOW_MS : MAX_PREVIEW_MS;
  const windowMs = windowWord ? parseWindow(windowWord, maxMs, `digest ${mode}`) : null;
  if (windowWord && windowMs === null) throw new AppError('usage', `"${windowWord}" is not a window; use 24h or 7d`);
  if (mode === 'now') {
    if (!ctx.channelId)
      throw new AppError(
        'usage',
        'digest now needs a channel: run it in the channel, or pass --channel C0123 on the command line',
      );
    return digestNow(ctx, ctx.channelId, windowMs);
  }
  const team = teamOf(ctx);
  const channel = ctx.channelId ? await s.channels.get(ctx.channelId, team) : undefined;
  const now = s.clock.now();
  // The preview shows what the next scheduled digest would hold: digests asked for with `now` don't count.
  const last = ctx.channelId ? await s.digests.lastScheduled(ctx.channelId, team) : undefined;
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
    team,
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
      watched: st.watched ?? false,
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
