import { stripControlSequences } from '../summarize/sanitize-text.js';

/**
 * Makes untrusted text inert in Slack mrkdwn: control sequences are removed and `&`, `<`, `>` escaped,
 * so nothing can ping a channel, a user or a group, or disguise a link.
 * @see https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeMrkdwn(text: string): string {
  return stripControlSequences(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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

/** A mrkdwn link to an http(s) URL, or just the escaped label when the URL is not one. */
export function mrkdwnLink(url: string | null | undefined, label: string): string {
  const safe = safeUrl(url);
  const text = escapeMrkdwn(label).replace(/\|/g, '¦');
  return safe ? `<${safe}|${text}>` : text;
}

/** Cuts text to `max` characters at a word boundary when it can. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const at = cut.lastIndexOf(' ');
  return `${at > max * 0.7 ? cut.slice(0, at) : cut}…`;
}
