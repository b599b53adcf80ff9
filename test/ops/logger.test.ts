import { describe, expect, it } from 'vitest';
import { createLogger, redactText } from '../../src/core/logger.js';

describe('logger', () => {
  it('writes one JSON line per entry with level and message, above the configured level only', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.debug('feeds: hidden');
    log.warn('feeds: poll failed', { feedId: 3, code: 'feed_timeout' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'warn',
      msg: 'feeds: poll failed',
      feedId: 3,
      code: 'feed_timeout',
    });
  });

  it('never writes secrets: by key, by token shape, or inside error objects', () => {
    const lines: string[] = [];
    const log = createLogger('debug', (l) => lines.push(l));
    const err = Object.assign(new Error('auth failed for xoxb-1234567890-abcdef with sk-proj-abcdefghij'), {
      token: 'xoxb-secret',
    });
    log.error('slack: failed', {
      error: err,
      botToken: 'xoxb-1234567890',
      apiKey: 'sk-abcdefghijkl',
      signingSecret: 's3cr3t',
      nested: { authorization: 'Bearer x' },
    });
    const out = lines.join('');
    for (const secret of ['1234567890', 'abcdefghij', 's3cr3t', 'Bearer x', 'xoxb-secret'])
      expect(out).not.toContain(secret);
    expect(out).toContain('auth failed for xoxb-[redacted]');
  });

  it.each([
    ['OpenAI', 'Incorrect API key provided: sk-abcdefghijklmnop1234', 'sk-[redacted]'],
    ['OpenAI project', 'key sk-proj-AbCdEf_123-456ghijkl used', 'sk-[redacted]'],
    ['Anthropic', 'x-api-key: sk-ant-api03-abcdefghijklmn', 'sk-[redacted]'],
    ['Groq', 'invalid gsk_ABCDEFGHIJKLMNOPQRSTUV1234', 'gsk_[redacted]'],
    ['Slack bot', 'token xoxb-1234-5678-abcdefgh', 'xoxb-[redacted]'],
    ['Slack user', 'xoxp-1234-5678-abcdefgh', 'xoxp-[redacted]'],
    ['Slack legacy', 'xoxa-2-abcdefgh', 'xoxa-[redacted]'],
    ['Slack refresh', 'xoxe-1-abcdefghij', 'xoxe-[redacted]'],
    ['Slack rotated', 'xoxe.xoxp-1-abcdefghij', 'xoxe.xoxp-[redacted]'],
    ['Slack app', 'xapp-1-A0123-456-abcdef', 'xapp-[redacted]'],
    ['Bearer header', 'Authorization: Bearer abc.def-ghi', 'Bearer [redacted]'],
    ['Google', 'key AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW', 'AIza[redacted]'],
    ['Hugging Face', 'hf_abcdefghijklmnopqrstuvwxyz', 'hf_[redacted]'],
    ['GitHub classic', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_[redacted]'],
    ['GitHub fine-grained', 'github_pat_11ABCDEFG0123456789_abcdef', 'github_pat_[redacted]'],
    ['long hex key', 'api key 0123456789abcdef0123456789abcdef failed', '[redacted-hex]'],
    ['key= in a URL', 'GET https://api.example/v1?key=s3cr3tValue&x=1', '?key=[redacted]&x=1'],
    ['token= in a URL', 'https://api.example/feed?a=1&token=abc123', '&token=[redacted]'],
    ['password in a URL', 'https://user:hunter22@proxy.example/', 'user:[redacted]@'],
  ])('redacts %s credentials inside text', (_name, text, shown) => {
    const out = redactText(text);
    expect(out).toContain(shown);
    expect(out).not.toMatch(/abcdefgh|1234567|s3cr3t|hunter22|AbCdEf|abc123|abc\.def/);
  });

  it('leaves ordinary text alone', () => {
    const text = 'feeds: poll failed for https://e.com/a?id=5 (task-force, risk-free, Token limits, bearer of news)';
    expect(redactText(text)).toBe(text);
  });
});
