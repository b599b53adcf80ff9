import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';

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
});
