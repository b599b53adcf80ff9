import { describe, expect, it } from 'vitest';
import { decodeSlackText } from '../../src/slack/decode-slack-text.js';

describe('decodeSlackText', () => {
  it.each([
    ['escaped ampersand in a URL', 'feeds add https://x.example/?a=1&amp;b=2', 'feeds add https://x.example/?a=1&b=2'],
    ['a link Slack wrapped', 'feeds import <https://x.example/list.opml>', 'feeds import https://x.example/list.opml'],
    [
      'a labelled link',
      'feeds add <https://x.example/feed?a=1&amp;b=2|x.example/feed>',
      'feeds add https://x.example/feed?a=1&b=2',
    ],
    ['pasted XML', 'feeds import &lt;opml version="2.0"&gt;&lt;/opml&gt;', 'feeds import <opml version="2.0"></opml>'],
    ['decoded once only', 'search &amp;lt;b&amp;gt;', 'search &lt;b&gt;'],
    ['channel, user, special mentions', 'hi <#C123|general> <@U1|ann> <@U2> <!here>', 'hi #general @ann @U2 @here'],
    ['an e-mail link', 'ask <mailto:a@b.example|a@b.example>', 'ask a@b.example'],
    ['a date token falls back to its text', '<!date^1392734382^{date}|Feb 18, 2014>', 'Feb 18, 2014'],
    ['plain text is unchanged', 'ask what did DeepSeek release? 3 > 2', 'ask what did DeepSeek release? 3 > 2'],
  ])('%s', (_name, input, expected) => {
    expect(decodeSlackText(input)).toBe(expected);
  });
});
