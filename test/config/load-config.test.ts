import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, requireServeSettings } from '../../src/config/load-config.js';
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
      logLevel: undefined,
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

  it('checks combinations: a base URL needs a model; admin ids look like Slack user ids', () => {
    expect(() => loadConfig({ LLM_BASE_URL: 'http://localhost:1/v1' })).toThrowError(/LLM_MODEL/);
    expect(() => loadConfig({ ADMIN_USER_IDS: 'alice' })).toThrowError(/not a Slack user ID/);
  });

  it('accepts a bot token alone (the CLI posts with it); only serving needs the signing secret or app token', () => {
    const botOnly = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(botOnly.slack.botToken).toBe('xoxb-1');
    expect(() => requireServeSettings(botOnly)).toThrowError(
      /SLACK_SIGNING_SECRET: required to serve Slack over HTTP.*or set SLACK_APP_TOKEN for Socket Mode/,
    );
    expect(() => requireServeSettings(loadConfig({ SLACK_SIGNING_SECRET: 's' }))).toThrowError(
      /SLACK_BOT_TOKEN: required to serve/,
    );
    expect(() =>
      requireServeSettings(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })),
    ).not.toThrow();
    expect(() =>
      requireServeSettings(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })),
    ).not.toThrow();
  });

  it('reads the question limits, and refuses values outside their range', () => {
    expect(loadConfig({})).toMatchObject({ llm: { askBudgetPercent: 25 }, askPerUserPerHour: 20 });
    expect(loadConfig({ LLM_ASK_BUDGET_PERCENT: '10', ASK_RATE_LIMIT_PER_HOUR: '3' })).toMatchObject({
      llm: { askBudgetPercent: 10 },
      askPerUserPerHour: 3,
    });
    expect(() => loadConfig({ LLM_ASK_BUDGET_PERCENT: '150', ASK_RATE_LIMIT_PER_HOUR: '0' })).toThrowError(
      /LLM_ASK_BUDGET_PERCENT: must be between 0 and 100[\s\S]*ASK_RATE_LIMIT_PER_HOUR: must be between 1 and 10000/,
    );
  });

  it('reads MCP_TOKEN, and refuses a short one or one with spaces', () => {
    expect(loadConfig({}).mcpToken).toBeUndefined();
    expect(loadConfig({ MCP_TOKEN: '0123456789abcdef0123' }).mcpToken).toBe('0123456789abcdef0123');
    expect(() => loadConfig({ MCP_TOKEN: 'short' })).toThrowError(/MCP_TOKEN: must be at least 16 characters/);
    expect(() => loadConfig({ MCP_TOKEN: '0123456789 abcdef0123' })).toThrowError(/MCP_TOKEN/);
  });

  it('masks secrets when the config is described for logs', () => {
    const c = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-secret-token',
      SLACK_SIGNING_SECRET: 'topsecret',
      LLM_API_KEY: 'sk-abcdef',
      MCP_TOKEN: 'mcp-token-zyxwvutsrq',
    });
    const text = JSON.stringify(describeConfig(c));
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('topsecret');
    expect(text).not.toContain('abcdef');
    expect(text).not.toContain('zyxwvutsrq');
  });

  it('reads the built-in sources: OpenRouter defaults, `off` disables one, the API key is masked', () => {
    expect(loadConfig({}).openRouter).toEqual({
      modelsUrl: 'https://openrouter.ai/api/v1/models',
      rankingsUrl: 'https://openrouter.ai/api/v1/datasets/rankings-daily',
      apiKey: undefined,
    });
    const c = loadConfig({
      OPENROUTER_MODELS_URL: 'off',
      OPENROUTER_RANKINGS_URL: ' OFF ',
      OPENROUTER_API_KEY: 'sk-or-v1-secret',
    });
    expect(c.openRouter).toEqual({ modelsUrl: null, rankingsUrl: null, apiKey: 'sk-or-v1-secret' });
    expect(JSON.stringify(describeConfig(c))).not.toContain('secret');
    try {
      loadConfig({ OPENROUTER_RANKINGS_URL: 'ftp://x', OPENROUTER_MODELS_URL: 'nope' });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'config_invalid')).toBe(true);
      expect((err as Error).message).toMatch(/OPENROUTER_RANKINGS_URL: must be an http\(s\) URL .* or off/);
      expect((err as Error).message).toMatch(/OPENROUTER_MODELS_URL: must be an http\(s\) URL/);
    }
  });
});
