import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from '../../src/config/load-config.js';
import { isAppError } from '../../src/core/errors.js';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databasePath: 'db/ai-news.sqlite',
      port: 3000,
      digestLanguage: 'en',
      defaultTimezone: 'UTC',
      allowPrivateFeedUrls: false,
      feedsFile: 'feeds/default.opml',
      logLevel: 'info',
      adminUserIds: [],
      llm: { dailyTokenBudget: 200000, model: undefined },
      retentionDays: 180,
    });
  });

  it('treats empty strings as unset, as a copied .env.example leaves them', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '', LLM_MODEL: '', PORT: '' }).port).toBe(3000);
  });

  it('reads every documented key', () => {
    const c = loadConfig({
      DATABASE_PATH: '/tmp/x.sqlite',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      PORT: '8080',
      LLM_BASE_URL: 'http://localhost:11434/v1',
      LLM_MODEL: 'qwen3:8b',
      LLM_DAILY_TOKEN_BUDGET: '5000',
      DIGEST_LANGUAGE: 'es',
      DEFAULT_TIMEZONE: 'Europe/Madrid',
      ADMIN_USER_IDS: 'U01ABC, U02DEF',
      ALLOW_PRIVATE_FEED_URLS: 'true',
      FEEDS_FILE: 'x.opml',
      LOG_LEVEL: 'debug',
    });
    expect(c).toMatchObject({
      port: 8080,
      digestLanguage: 'es',
      defaultTimezone: 'Europe/Madrid',
      adminUserIds: ['U01ABC', 'U02DEF'],
      allowPrivateFeedUrls: true,
      llm: { baseUrl: 'http://localhost:11434/v1', model: 'qwen3:8b', dailyTokenBudget: 5000 },
      slack: { botToken: 'xoxb-1', signingSecret: 's', apiUrl: 'http://127.0.0.1:9/api/' },
    });
  });

  it('names every bad key in one error, with how to fix it', () => {
    let message = '';
    try {
      loadConfig({
        PORT: 'eighty',
        DEFAULT_TIMEZONE: 'Mars/Base',
        LOG_LEVEL: 'loud',
        LLM_BASE_URL: 'ftp://x',
        ALLOW_PRIVATE_FEED_URLS: 'maybe',
        DIGEST_LANGUAGE: '!!',
      });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'config_invalid')).toBe(true);
      message = (err as Error).message;
    }
    for (const key of [
      'PORT',
      'DEFAULT_TIMEZONE',
      'LOG_LEVEL',
      'LLM_BASE_URL',
      'ALLOW_PRIVATE_FEED_URLS',
      'DIGEST_LANGUAGE',
    ])
      expect(message).toContain(key);
    expect(message).toMatch(/IANA time zone, e\.g\. Europe\/Madrid/);
  });

  it('checks combinations: a bot token needs a signing secret or app token; a base URL needs a model', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrowError(/SLACK_SIGNING_SECRET/);
    expect(() => loadConfig({ LLM_BASE_URL: 'http://localhost:1/v1' })).toThrowError(/LLM_MODEL/);
    expect(() => loadConfig({ ADMIN_USER_IDS: 'alice' })).toThrowError(/not a Slack user ID/);
  });

  it('masks secrets when the config is described for logs', () => {
    const c = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-secret-token',
      SLACK_SIGNING_SECRET: 'topsecret',
      LLM_API_KEY: 'sk-abcdef',
    });
    const text = JSON.stringify(describeConfig(c));
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('topsecret');
    expect(text).not.toContain('abcdef');
  });
});
