/**
 * Removes what could make Slack notify or mislead: `<!channel>`, `<!here>`, `<!everyone>`, `<@U…>`,
 * `<#C…>`, `<!subteam^…>`, `<!date…>` and `<url|label>` disguised links (the label is kept as text).
 * Also drops bare URLs not in `allowedUrls` when given (model output may only cite its sources).
 */
export function stripControlSequences(text: string, allowedUrls?: Set<string>): string {
  let out = text
    .replace(/<\s*[!@#][^>]*>/g, '')
    .replace(/<\s*((?:https?|mailto|ftp|javascript|slack):[^|>]*)\|([^>]*)>/gi, '$2')
    .replace(/<\s*((?:https?|mailto|ftp|javascript|slack):[^>]*)>/gi, '$1')
    .replace(/[@＠](channel|here|everyone)\b/gi, '$1');
  if (allowedUrls) {
    out = out.replace(/\b(?:https?:\/\/|www\.)[^\s<>()"']+/gi, (url) => {
      const bare = url.replace(/[.,;:!?]+$/, '');
      return allowedUrls.has(bare) ? url : url.slice(bare.length);
    });
  }
  return out
    .replace(/[ \t]+/g, ' ')
    .replace(/\s+([.,;:])/g, '$1')
    .trim();
}
