import type { Reply } from './types.js';

/** The grammar, with examples; shown for `help` and for words the bot does not know. */
export const HELP = `ai-news — the AI model ecosystem, briefed.
  help                                 this text
  <query> | search <query>             matching stories, newest first ("open models this week")
  ask <question>                       grounded answer with numbered citations (up to 1,000 characters)
  digest [preview|now] [24h|7d]        preview is private; now posts here (members: once per 10 min)
  subscribe [HH:MM] [Area/City] [topic…]  (admin) daily digest for this channel
  unsubscribe                          (admin)
  watch                                this channel's watch rules: instant posts for matching stories
  watch add <topics…>                  (admin) topic words as for subscribe, plus kind:release, kind:change
  watch remove <id>                    (admin)
  settings [language <code>|time HH:MM|tz Area/City|topics …|chart weekly|off]  show; change (admin)
  feeds                                feeds with health: last success, last error, items per week
  feeds add <url> [name]               (admin) subscribe, after a real fetch shows it is a feed
  feeds remove <id|url>                (admin)
  feeds resume <id>                    (admin) retry a paused feed
  feeds import <opml url or file>      (admin)
  feeds export [file]                  subscriptions as OPML
  trends [7d|30d] [chart]              ecosystem pulse: share of coverage by lab, origin, openness
  share [7d|30d] [chart]               token share by origin and openness (OpenRouter rankings), vs the window before
  models [7d|30d] [chart]              model releases tracked: lab, origin, openness, link
  models changes [7d|30d]              model-list changes: new, removed, price, context, deprecation, openness
  stories [--since 24h] [--explain <id>]  stories with sources, tags, summary; why each report joined
  usage                                model tokens today and over 7 days, by purpose
  audit                                (admin) recent admin changes
  stats                                database size and counts
CLI only: poll [--all], migrate, serve, mcp. Read commands take --json; \`chart\` is --chart <file.png> on the CLI.
Examples: \`feeds add https://qwenlm.github.io/blog/index.xml Qwen\` · \`search deepseek\` · \`share 30d chart\``;

/** `help`. */
export async function helpCommand(): Promise<Reply> {
  return { text: HELP, json: { help: HELP } };
}
