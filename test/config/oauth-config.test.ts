import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  describeConfig,
  isMultiWorkspace,
  loadConfig,
  requireSecretsKey,
  requireServeSettings,
} from '../../src/config/load-config.js';
import { isAppError } from '../../src/core/errors.js';
import { openSecret, parseSecretsKey, sealSecret } from '../../src/core/secret-box.js';

const OAUTH = {
  SLACK_CLIENT_ID: '111.222',
  SLACK_CLIENT_SECRET: 'client-secret',
  SLACK_STATE_SECRET: 'state-secret-0123456789',
  SLACK_SIGNING_SECRET: 'signing',
};
const KEY = randomBytes(32);

describe('OAuth distribution settings', () => {
  it('turns on many workspaces with the three OAuth settings, and reads SECRETS_KEY as hex or base64', () => {
    const c = loadConfig({ ...OAUTH, SECRETS_KEY: KEY.toString('hex') });
    expect(isMultiWorkspace(c)).toBe(true);
    expect(c.slack.oauth).toEqual({
      clientId: '111.222',
      clientSecret: 'client-secret',
      stateSecret: OAUTH.SLACK_STATE_SECRET,
    });
    expect(c.secretsKey?.equals(KEY)).toBe(true);
    expect(loadConfig({ ...OAUTH, SECRETS_KEY: KEY.toString('base64') }).secretsKey?.equals(KEY)).toBe(true);
    expect(loadConfig({ ...OAUTH, SECRETS_KEY: KEY.toString('base64url') }).secretsKey?.equals(KEY)).toBe(true);
    expect(() => requireServeSettings(c)).not.toThrow();
    expect(isMultiWorkspace(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toBe(false);
  });

  it('names the missing ones when only some OAuth settings are given, in one message', () => {
    let message = '';
    try {
      loadConfig({ SLACK_CLIENT_ID: '111.222' });
    } catch (err) {
      expect(isAppError(err, 'config_invalid')).toBe(true);
      message = (err as Error).message;
    }
    expect(message).toMatch(
      /SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: required with SLACK_CLIENT_ID for OAuth distribution/,
    );
    expect(message.match(/\n {2}\w/g)).toHaveLength(1);
  });

  it('refuses OAuth with Socket Mode or with a single bot token, saying why', () => {
    expect(() => loadConfig({ ...OAUTH, SLACK_APP_TOKEN: 'xapp-1' })).toThrowError(
      /SLACK_APP_TOKEN: Socket Mode serves one workspace; OAuth distribution needs HTTP mode/,
    );
    expect(() => loadConfig({ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1' })).toThrowError(
      /SLACK_BOT_TOKEN: not used with OAuth distribution/,
    );
  });

  it('refuses a SECRETS_KEY that is not 32 bytes, and a short state secret', () => {
    for (const bad of ['abc', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), `${'g'.repeat(64)}`])
      expect(() => loadConfig({ ...OAUTH, SECRETS_KEY: bad })).toThrowError(
        /SECRETS_KEY: must be 32 bytes written as 64 hex digits or as base64/,
      );
    expect(() => loadConfig({ ...OAUTH, SLACK_STATE_SECRET: 'short' })).toThrowError(
      /SLACK_STATE_SECRET: must be at least 16/,
    );
  });

  it('needs SECRETS_KEY to serve many workspaces (secrets_key_missing), and a signing secret', () => {
    const noKey = loadConfig(OAUTH);
    let err: unknown;
    try {
      requireServeSettings(noKey);
    } catch (e) {
      err = e;
    }
    expect(isAppError(err, 'secrets_key_missing')).toBe(true);
    expect((err as Error).message).toMatch(/SECRETS_KEY is required with OAuth distribution/);
    expect(() => requireSecretsKey(noKey)).toThrow();
    const { SLACK_SIGNING_SECRET: _, ...unsigned } = OAUTH;
    expect(() => requireServeSettings(loadConfig({ ...unsigned, SECRETS_KEY: KEY.toString('hex') }))).toThrowError(
      /SLACK_SIGNING_SECRET: required to serve Slack over HTTP/,
    );
  });

  it('masks the OAuth secrets and the key when the config is described', () => {
    const text = JSON.stringify(describeConfig(loadConfig({ ...OAUTH, SECRETS_KEY: KEY.toString('hex') })));
    expect(text).not.toContain('client-secret');
    expect(text).not.toContain('state-secret');
    expect(text).not.toContain(KEY.toString('hex'));
    expect(text).toContain('111.222');
  });
});

describe('secret box (AES-256-GCM)', () => {
  it('opens what it sealed, with the same key and context only', () => {
    const sealed = sealSecret(KEY, 'xoxb-secret', 'T1');
    expect(sealed).not.toContain('xoxb');
    expect(openSecret(KEY, sealed, 'T1')).toBe('xoxb-secret');
    // A fresh nonce each time: sealing twice gives two different values.
    expect(sealSecret(KEY, 'xoxb-secret', 'T1')).not.toBe(sealed);
    expect(() => openSecret(randomBytes(32), sealed, 'T1')).toThrowError(/SECRETS_KEY does not open/);
    expect(() => openSecret(KEY, sealed, 'T2')).toThrowError(/SECRETS_KEY does not open/);
    const tampered = `${sealed.slice(0, -4)}${sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(() => openSecret(KEY, tampered, 'T1')).toThrowError(/SECRETS_KEY does not open/);
  });

  it('reads keys as 64 hex digits or base64 of 32 bytes, nothing else', () => {
    expect(parseSecretsKey(KEY.toString('hex'))?.equals(KEY)).toBe(true);
    expect(parseSecretsKey(` ${KEY.toString('base64')} `)?.equals(KEY)).toBe(true);
    expect(parseSecretsKey('')).toBeUndefined();
    expect(parseSecretsKey(randomBytes(33).toString('base64'))).toBeUndefined();
  });
});
