import { AppError } from '../core/errors.js';
import { isTimeZone, localParts, parseClockTime, zonedTime } from '../core/zoned-time.js';
import { channelZone } from '../digest/send-digest.js';
import type { Channel, ChannelSettings } from '../store/channel-repository.js';
import { teamOf } from './command-team.js';
import { audit, requireAdmin } from './require-admin.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

function needChannel(ctx: CommandContext): string {
  if (!ctx.channelId) throw new AppError('usage', 'Run this in a channel, or pass --channel C0123 on the command line');
  return ctx.channelId;
}

function isLanguage(tag: string): boolean {
  try {
    return /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(tag) && Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** The next time a channel's digest will be posted. */
export function nextDigestAt(ctx: CommandContext, c: Channel): Date {
  const s = ctx.services;
  const tz = channelZone(s, c);
  const time = parseClockTime(c.digestTime) ?? { hour: 8, minute: 0 };
  const now = s.clock.now();
  for (const ahead of [0, 1, 2]) {
    const l = localParts(new Date(now.getTime() + ahead * 86_400_000), tz);
    const at = zonedTime(l.year, l.month, l.day, time.hour, time.minute, tz);
    if (at.getTime() > now.getTime()) return at;
  }
  return now;
}

function describe(ctx: CommandContext, c: Channel): string {
  const s = ctx.services;
  const tz = channelZone(s, c);
  const next = nextDigestAt(ctx, c);
  const when = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: tz,
  }).format(next);
  return [
    `Channel ${c.id}: ${c.subscribed ? `daily digest at ${c.digestTime} ${tz} (next: ${when})` : 'not subscribed'}`,
    `Language: ${c.language ?? `${s.config.digestLanguage} (default)`}`,
    `Topics: ${c.topics || 'everything'}`,
    `Weekly chart in the digest thread: ${c.weeklyChart ? 'on' : 'off'} (\`settings chart weekly|off\`)`,
  ].join('\n');
}

/**
 * Words that look like a clock time: digits around a colon (25:99, 8:5, 08:30:00), 12-hour forms (8am,
 * 7:30pm) and 8h30. A topic never looks like this, so one that is not a valid HH:MM is a mistyped time.
 */
const TIME_SHAPED = /^(\d+:\d*(:\d*)?|\d{1,2}(:\d{2})?\s*[ap]\.?m\.?|\d{1,2}h\d{2})$/i;

/** Reads `[HH:MM] [Area/City] [topic…]` words into settings. */
function readSettings(words: string[]): ChannelSettings {
  const out: ChannelSettings = {};
  const topics: string[] = [];
  for (const w of words) {
    if (parseClockTime(w)) out.digestTime = w.padStart(5, '0');
    else if (TIME_SHAPED.test(w))
      throw new AppError('usage', `"${w}" is not a time; use 24-hour HH:MM, e.g. 08:30 or 17:45. Nothing was saved.`);
    else if ((w.includes('/') || w === 'UTC') && isTimeZone(w)) out.timezone = w;
    else if (w.includes('/') && !w.includes(':'))
      throw new AppError(
        'usage',
        `"${w}" is not a time zone; use an IANA name such as Europe/Madrid or America/New_York`,
      );
    else topics.push(w);
  }
  if (topics.length) out.topics = topics.join(' ');
  return out;
}

/** `subscribe [HH:MM] [Area/City] [topic…]` (admin): a daily digest for this channel. */
export async function subscribeCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const channelId = needChannel(ctx);
  await requireAdmin(ctx, 'subscribe channels');
  const settings = readSettings(p.args);
  const c = await ctx.services.channels.subscribe(
    channelId,
    settings,
    `${ctx.surface}:${ctx.actor.id}`,
    ctx.services.clock.now(),
    teamOf(ctx),
  );
  await audit(ctx, 'channel.subscribe', { channel: channelId, ...settings });
  return {
    text: `Subscribed.\n${describe(ctx, c)}`,
    json: { channel: c, next: nextDigestAt(ctx, c).toISOString() },
    visibility: 'in_channel',
  };
}

/** `unsubscribe` (admin). */
export async function unsubscribeCommand(ctx: CommandContext): Promise<Reply> {
  const channelId = needChannel(ctx);
  await requireAdmin(ctx, 'unsubscribe channels');
  const changed = await ctx.services.channels.unsubscribe(channelId, ctx.services.clock.now(), teamOf(ctx));
  await audit(ctx, 'channel.unsubscribe', { channel: channelId });
  return {
    text: changed ? `Unsubscribed ${channelId}: no more daily digests here.` : `${channelId} was not subscribed.`,
    json: { unsubscribed: changed },
    visibility: 'in_channel',
  };
}

/** `settings [language <code>|time HH:MM|tz Area/City|topics …]`: show, or change (admin). */
export async function settingsCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const channelId = needChannel(ctx);
  const s = ctx.services;
  const [key, ...rest] = p.args;
  if (!key) {
    const c =
      (await s.channels.get(channelId, teamOf(ctx))) ??
      (await s.channels.update(channelId, {}, s.clock.now(), teamOf(ctx)));
    return { text: describe(ctx, c), json: { channel: c } };
  }
  await requireAdmin(ctx, 'change digest settings');
  const value = rest.join(' ').trim();
  const settings: ChannelSettings = {};
  switch (key.toLowerCase()) {
    case 'language':
    case 'lang':
      if (!isLanguage(value)) throw new AppError('usage', `"${value}" is not a language code; use e.g. en, es, pt-BR`);
      settings.language = value;
      break;
    case 'time':
      if (!parseClockTime(value))
        throw new AppError('usage', `"${value}" is not a time; use 24-hour HH:MM, e.g. 08:30 or 17:45`);
      settings.digestTime = value.padStart(5, '0');
      break;
    case 'tz':
    case 'timezone':
      if (!isTimeZone(value))
        throw new AppError('usage', `"${value}" is not a time zone; use an IANA name such as Europe/Madrid`);
      settings.timezone = value;
      break;
    case 'topics':
      settings.topics = value === 'all' || value === 'everything' ? '' : value;
      break;
    case 'chart':
      if (!['weekly', 'on', 'off'].includes(value.toLowerCase()))
        throw new AppError(
          'usage',
          'Use `settings chart weekly` (a chart in the digest thread once a week) or `settings chart off`',
        );
      settings.weeklyChart = value.toLowerCase() !== 'off';
      break;
    default:
      throw new AppError(
        'usage',
        'Usage: settings [language <code> | time HH:MM | tz Area/City | topics <words> | chart weekly|off]',
      );
  }
  const c = await s.channels.update(channelId, settings, s.clock.now(), teamOf(ctx));
  await audit(ctx, 'channel.settings', { channel: channelId, ...settings });
  return { text: `Saved.\n${describe(ctx, c)}`, json: { channel: c } };
}
