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

/** A channel in its team: channel ids are unique only within a team. */
export interface TeamChannel {
  team: string;
  channel: string;
}

/** One string per (team, channel), for maps and sets. */
export function channelKey(c: TeamChannel): string {
  return `${c.team}\u0000${c.channel}`;
}

/** Every channel's rules, by (team, channel) key. A stored rule that no longer parses is skipped with a warning. */
export async function channelRules(s: Services): Promise<Map<string, { at: TeamChannel; rules: ChannelRule[] }>> {
  const labOf = labResolver(s);
  const out = new Map<string, { at: TeamChannel; rules: ChannelRule[] }>();
  for (const r of await s.watch.rules()) {
    try {
      const terms = parseWatchRule(r.topics, labOf);
      const at = { team: r.teamId, channel: r.channelId };
      const entry = out.get(channelKey(at)) ?? { at, rules: [] };
      entry.rules.push({
        id: r.id,
        topics: r.topics,
        createdAt: r.createdAt,
        matches: (e) => matchesWatchRule(terms, e),
      });
      out.set(channelKey(at), entry);
    } catch (err) {
      s.logger.warn('watch: skipping a rule that no longer parses', { rule: r.id, error: errorMessage(err) });
    }
  }
  return out;
}
