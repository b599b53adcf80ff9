import { passesTopics } from '../digest/topics.js';
import type { Tag } from '../store/entity-repository.js';
import type { WatchKind, WatchRuleTerms } from './parse-watch-rule.js';

/** Something a watch can announce: a new story (news, or a model-list listing), or a model-list change. */
export interface WatchEvent {
  kind: 'story' | WatchKind;
  tags: Tag[];
  /** Title and summary, for keyword words. */
  text: string;
}

/**
 * True when a rule asks for this event. `kind:` words narrow the kind (a rule without one takes
 * stories, listings included, but not model-list changes, which only `kind:change` asks for); the
 * other words filter exactly as a channel's digest topics do.
 */
export function matchesWatchRule(rule: WatchRuleTerms, e: WatchEvent): boolean {
  if (rule.kinds.include.length > 0) {
    if (e.kind === 'story' || !rule.kinds.include.includes(e.kind)) return false;
  } else if (e.kind === 'change') return false;
  if (e.kind !== 'story' && rule.kinds.exclude.includes(e.kind)) return false;
  return passesTopics(rule.topics, e.tags, e.text);
}
