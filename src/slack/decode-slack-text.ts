const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
const unescapeEntities = (s: string) => s.replace(/&(amp|lt|gt);/g, (_m, e: string) => ENTITIES[e] as string);

/** One `<…>` token of Slack's formatting as the words a person typed. */
function decodeToken(token: string): string {
  const bar = token.indexOf('|');
  const target = unescapeEntities(bar < 0 ? token : token.slice(0, bar));
  const label = bar < 0 ? undefined : unescapeEntities(token.slice(bar + 1));
  if (target.startsWith('@')) return `@${label ?? target.slice(1)}`; // <@U123|name>
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`; // <#C123|general>
  if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`; // <!here>, <!date^…|fallback>
  if (/^mailto:/i.test(target)) return label ?? target.slice('mailto:'.length);
  return target; // a link, <https://…> or <https://…|label>: the URL is what was typed
}

/**
 * Undoes Slack's formatting of slash-command and message text, once: `<https://…|label>` becomes the
 * URL, `<#C1|general>` `#general`, `<@U1|ann>` `@ann`, `<!here>` `@here`, and `&amp;` `&lt;` `&gt;`
 * their characters. A single pass, so text that really contained `&amp;lt;` keeps `&lt;`. Slack escapes
 * the typed `<`, `>` and `&`, so a bare angle bracket is always Slack's own.
 * @see https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function decodeSlackText(text: string): string {
  return text.replace(/<([^<>]*)>|&(amp|lt|gt);/g, (_m, token: string | undefined, entity: string | undefined) =>
    token !== undefined ? decodeToken(token) : (ENTITIES[entity as string] as string),
  );
}
