import { stripControlSequences } from '../summarize/sanitize-text.js';

/**
 * Makes untrusted text inert in Slack mrkdwn: control sequences are removed and `&`, `<`, `>` escaped,
 * so nothing can ping a channel, a user or a group, or disguise a link.
 * @see https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeMrkdwn(text: string): string {
  return stripControlSequences(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack's formatting marks and look-alikes that display the same but format nothing: `*` bold, `_`
 * italics, `~` strike, backtick code. mrkdwn has no escape for them, so a title such as "GPT-5 *beats*
 * o3" would otherwise end the digest's bold early or italicise the rest of the line.
 */
const FORMATTING: Record<string, string> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };

/**
 * Untrusted text (feed titles and text, model output) made inert in mrkdwn: what escapeMrkdwn does,
 * and its formatting marks neutralised so it can neither break the bold around it nor style itself.
 */
export function inertMrkdwn(text: string): string {
  return neutralizeFormatting(escapeMrkdwn(text));
}

/** Only the formatting marks replaced by their look-alikes (for text escaped later as a whole). */
export function neutralizeFormatting(text: string): string {
  return text.replace(/[*_~`]/g, (c) => FORMATTING[c] ?? c);
}

/** The URL if it is http(s), normalised and safe inside `<url|label>`; otherwise null. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.toString().replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  } catch {
    return null;
  }
}

/** A mrkdwn link to an http(s) URL, or just the inert label when the URL is not one. */
export function mrkdwnLink(url: string | null | undefined, label: string): string {
  const safe = safeUrl(url);
  const text = inertMrkdwn(label).replace(/\|/g, '¦');
  return safe ? `<${safe}|${text}>` : text;
}

/** Cuts text to `max` characters at a word boundary when it can. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const at = cut.lastIndexOf(' ');
  return `${at > max * 0.7 ? cut.slice(0, at) : cut}…`;
}
