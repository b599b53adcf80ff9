import type { Services } from '../compose.js';
import { errorMessage } from '../core/errors.js';
import { matchesWatchRule, type WatchEvent } from './match-watch-rule.js';
import { parseWatchRule } from './parse-watch-rule.js';

/** A stored rule, parsed once per run. */
export interface ChannelRule {
  id: number;
  topics: string;
  createdAt: string;
  matches(e: WatchEvent): boolean;
}

/** A word → lab id resolver over the catalog (names, aliases, Chinese names), as digest topics use. */
export function labResolver(s: Services): (word: string) => string | undefined {
  return (word) => s.matcher.match(word, 'AI model').labs[0];
}

/** Every channel's rules, by channel. A stored rule that no longer parses is skipped with a warning. */
export async function channelRules(s: Services): Promise<Map<string, ChannelRule[]>> {
  const labOf = labResolver(s);
  const out = new Map<string, ChannelRule[]>();
  for (const r of await s.watch.rules()) {
    try {
      const terms = parseWatchRule(r.topics, labOf);
      const list = out.get(r.channelId) ?? [];
      list.push({ id: r.id, topics: r.topics, createdAt: r.createdAt, matches: (e) => matchesWatchRule(terms, e) });
      out.set(r.channelId, list);
    } catch (err) {
      s.logger.warn('watch: skipping a rule that no longer parses', { rule: r.id, error: errorMessage(err) });
    }
  }
  return out;
}
