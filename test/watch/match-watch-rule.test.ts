import { describe, expect, it } from 'vitest';
import { LABS } from '../../src/catalog/labs.js';
import { createEntityMatcher } from '../../src/catalog/match-entities.js';
import type { Tag } from '../../src/store/entity-repository.js';
import { matchesWatchRule, type WatchEvent } from '../../src/watch/match-watch-rule.js';
import { parseWatchRule } from '../../src/watch/parse-watch-rule.js';

const matcher = createEntityMatcher(LABS);
const labOf = (w: string) => matcher.match(w, 'AI model').labs[0];
const tags = (...t: [Tag['kind'], string][]): Tag[] => t.map(([kind, key]) => ({ kind, key, name: key }));
const kimiNews: WatchEvent = {
  kind: 'story',
  tags: tags(['lab', 'moonshot'], ['origin', 'CN'], ['openness', 'open-weight']),
  text: 'Moonshot AI releases Kimi K2.7\nOpen weights.',
};
const kimiListing: WatchEvent = { ...kimiNews, kind: 'release', text: 'New model: MoonshotAI: Kimi K3' };
const gptListing: WatchEvent = {
  kind: 'release',
  tags: tags(['lab', 'openai'], ['origin', 'US'], ['openness', 'closed']),
  text: 'New model: GPT-5.5',
};
const priceChange: WatchEvent = {
  kind: 'change',
  tags: tags(['lab', 'deepseek'], ['origin', 'CN']),
  text: 'DeepSeek V4',
};

describe('watch rules', () => {
  it.each([
    ['lab:moonshot', kimiNews, true],
    ['lab:moonshot', kimiListing, true],
    ['lab:moonshot', priceChange, false], // changes only for kind:change
    ['Moonshot', kimiNews, true], // a lab name written plainly
    ['月之暗面', kimiNews, true], // and in Chinese
    ['lab:moonshot -rumor', kimiNews, true],
    ['lab:moonshot -weights', kimiNews, false], // -word excludes
    ['origin:CN -lab:moonshot', kimiNews, false],
    ['kind:release', kimiListing, true],
    ['kind:release', kimiNews, false],
    ['kind:release origin:CN', gptListing, false],
    ['kind:release origin:CN', kimiListing, true],
    ['lab:moonshot -kind:release', kimiListing, false],
    ['lab:moonshot -kind:release', kimiNews, true],
    ['kind:change origin:CN', priceChange, true],
    ['kind:change origin:CN', kimiListing, false],
    ['open', kimiNews, true],
    ['closed', kimiNews, false],
  ])('%s on %#', (rule, event, expected) => {
    expect(matchesWatchRule(parseWatchRule(rule, labOf), event)).toBe(expected);
  });

  it.each([
    ['', /Usage: watch add/],
    ['-lab:meta', /needs at least one word to look for/],
    ['kind:rumor', /kind:rumor is not a kind/],
    ['lab:', /needs a value/],
    ['origin:mars', /is not an origin/],
    ['openness:free', /is not an openness/],
    ['lab:nosuchlab', /is not a lab in the catalog/],
    ['model:x', /"model:" is not a topic prefix/],
  ])('refuses %j', (rule, message) => {
    expect(() => parseWatchRule(rule, labOf)).toThrowError(message);
  });
});
