import { AppError } from '../core/errors.js';
import { parseTopics, type TopicTerm } from '../digest/topics.js';

/** Event kinds a rule can ask for: model-list new listings, model-list changes. */
export const WATCH_KINDS = ['release', 'change'] as const;
export type WatchKind = (typeof WATCH_KINDS)[number];

/** A watch rule taken apart: which kinds of event, and the topic filter `subscribe` uses. */
export interface WatchRuleTerms {
  kinds: { include: WatchKind[]; exclude: WatchKind[] };
  topics: TopicTerm[];
}

const ORIGINS = ['US', 'CN', 'EU', 'OTHER'];
const OPENNESS = ['open', 'closed', 'open-weight', 'open-source', 'mixed'];
const PREFIXES = ['lab', 'origin', 'openness', 'kind'];

/** Checks one `key:value` word, naming what is wrong and what to write instead. */
function checkWord(key: string, value: string, labOf: (w: string) => string | undefined): void {
  const bad = (why: string) => new AppError('usage', `watch: ${key}:${value} ${why}`);
  if (!PREFIXES.includes(key))
    throw new AppError(
      'usage',
      `watch: "${key}:" is not a topic prefix; use lab:, origin:, openness:, kind:, or plain words (a leading - excludes)`,
    );
  if (!value) throw bad('needs a value, e.g. lab:deepseek');
  if (key === 'lab' && !labOf(value))
    throw bad('is not a lab in the catalog; try lab:deepseek or lab:mistral, or write the name as a plain word');
  if (key === 'origin' && !ORIGINS.includes(value.toUpperCase()))
    throw bad('is not an origin; use US, CN, EU or other');
  if (key === 'openness' && !OPENNESS.includes(value.toLowerCase()))
    throw bad('is not an openness; use closed, open-weight, open-source, mixed or open');
  if (key === 'kind' && !(WATCH_KINDS as readonly string[]).includes(value.toLowerCase()))
    throw bad('is not a kind; use kind:release (new model listings) or kind:change (model-list changes)');
}

/**
 * Parses a rule: the topic words of `subscribe` (labs, origin, openness, keywords, `-` to exclude) plus
 * `kind:release` and `kind:change`. Throws a usage error naming the first bad word; nothing is saved then.
 */
export function parseWatchRule(text: string, labOf: (word: string) => string | undefined): WatchRuleTerms {
  const words = text.split(/[\s,]+/).filter(Boolean);
  if (words.length === 0)
    throw new AppError(
      'usage',
      'Usage: watch add <topics…>, e.g. `watch add lab:moonshot` or `watch add kind:release origin:CN`',
    );
  const kinds: WatchRuleTerms['kinds'] = { include: [], exclude: [] };
  const rest: string[] = [];
  for (const raw of words) {
    const exclude = raw.startsWith('-') || raw.startsWith('!');
    const word = exclude ? raw.slice(1) : raw;
    const at = word.indexOf(':');
    if (at > 0) checkWord(word.slice(0, at).toLowerCase(), word.slice(at + 1), labOf);
    if (word.toLowerCase().startsWith('kind:')) {
      const kind = word.slice(5).toLowerCase() as WatchKind;
      (exclude ? kinds.exclude : kinds.include).push(kind);
    } else rest.push(raw);
  }
  const topics = parseTopics(rest.join(' '), labOf);
  if (!topics.some((x) => !x.exclude) && kinds.include.length === 0)
    throw new AppError('usage', 'watch: a rule needs at least one word to look for, not only exclusions');
  return { kinds, topics };
}
