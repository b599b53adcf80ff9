import type { Reply } from '../commands/types.js';
import { clip, escapeMrkdwn } from '../digest/escape-mrkdwn.js';

/**
 * A command reply as a Slack message: ephemeral unless posting to the channel is the point; plain
 * text escaped (it carries feed titles); long text split into sections within Block Kit's limits.
 */
export function toSlackMessage(reply: Reply): {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: unknown[];
} {
  const response_type = reply.visibility === 'in_channel' ? 'in_channel' : 'ephemeral';
  if (reply.blocks && reply.blocks.length > 0)
    return { response_type, text: clip(escapeMrkdwn(reply.text), 3000), blocks: reply.blocks.slice(0, 50) };
  const text = escapeMrkdwn(reply.text);
  if (text.length <= 3000) return { response_type, text };
  const blocks: unknown[] = [];
  let rest = text;
  while (rest.length > 0 && blocks.length < 49) {
    let cut = rest.length <= 2900 ? rest.length : rest.lastIndexOf('\n', 2900);
    if (cut <= 0) cut = 2900;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: rest.slice(0, cut) } });
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.length > 0)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '… (cut; use the command line with --json for everything)' }],
    });
  return { response_type, text: clip(text, 3000), blocks };
}
