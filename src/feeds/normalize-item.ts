import { hash } from 'node:crypto';
import type { NormalizedItem, ParsedItem } from '../core/types.js';
import { canonicalUrl } from './canonical-url.js';
import { htmlToPlain } from './html-to-plain.js';
import { parseDate } from './parse-date.js';

/** How far past "now" a feed date may lie before it is treated as wrong. @unit milliseconds */
const FUTURE_SLACK_MS = 24 * 3600_000;
const MAX_TEXT = 20_000;

/**
 * Turns a parsed entry into a storable item, or null when it carries nothing (no title, text or link).
 * Identity: the guid, else the canonical link, else a hash of title and text; so a feed that re-orders,
 * re-dates or re-publishes an entry produces the same hash.
 */
export function normalizeItem(p: ParsedItem, ctx: { now: Date; feedLanguage?: string | null }): NormalizedItem | null {
  const url = p.link && /^https?:\/\//i.test(p.link) ? p.link : null;
  const canonical = canonicalUrl(url);
  const text = htmlToPlain(p.html).slice(0, MAX_TEXT);
  let title = htmlToPlain(p.title).replace(/\n/g, ' ').slice(0, 500);
  if (!title) title = text ? firstWords(text) : (canonical ?? '');
  if (!title && !text) return null;
  const parsed = parseDate(p.date);
  let publishedAt = ctx.now;
  let dateSource: NormalizedItem['dateSource'] = 'first-seen';
  if (parsed && parsed.getTime() > ctx.now.getTime() + FUTURE_SLACK_MS) dateSource = 'clamped';
  else if (parsed) {
    publishedAt = parsed;
    dateSource = 'feed';
  }
  const guid = p.guid?.trim() || null;
  const identity = guid ? `g:${guid}` : canonical ? `u:${canonical}` : `t:${title}\n${text}`;
  return {
    guid,
    url,
    canonicalUrl: canonical,
    title,
    text,
    author: p.author ? htmlToPlain(p.author).slice(0, 200) || null : null,
    language: (p.language ?? ctx.feedLanguage ?? null)?.slice(0, 35) ?? null,
    publishedAt: publishedAt.toISOString(),
    dateSource,
    contentHash: hash('sha256', identity, 'base64url').slice(0, 32),
  };
}

function firstWords(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length <= 100 ? line : `${line.slice(0, 97).replace(/\s+\S*$/, '')}…`;
}
