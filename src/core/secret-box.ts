import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from './errors.js';

/** Length of an AES-256 key. @unit bytes */
export const SECRETS_KEY_BYTES = 32;
/** GCM nonce length; random per seal, so one key may seal many values. @unit bytes */
const IV_BYTES = 12;
/** @unit bytes */
const TAG_BYTES = 16;
/** Marks the format, so a later scheme can be told apart from this one. */
const PREFIX = 'v1.';

/**
 * Reads SECRETS_KEY: 32 bytes written as 64 hex digits or as base64 (standard or URL-safe, padding
 * optional). Returns the key, or undefined when the text is neither.
 */
export function parseSecretsKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return undefined;
  const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === SECRETS_KEY_BYTES ? key : undefined;
}

/**
 * Encrypts a secret with AES-256-GCM. `context` (e.g. the workspace id) is authenticated but not
 * stored: a sealed value copied to another row does not open there.
 */
export function sealSecret(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/**
 * Decrypts what `sealSecret` produced with the same key and context. A different key, a different
 * context or a tampered value throws AppError('config_invalid'): the usual cause is a changed SECRETS_KEY.
 */
export function openSecret(key: Buffer, sealed: string, context: string): string {
  try {
    if (!sealed.startsWith(PREFIX)) throw new Error('unknown format');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new AppError(
      'config_invalid',
      `SECRETS_KEY does not open the stored Slack tokens of ${context} (was the key changed?); restore the key, or reinstall the app in that workspace`,
      { cause: err },
    );
  }
}
