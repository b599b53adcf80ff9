/** Machine-readable error codes; messages are for people, codes are for code and metrics. */
export type ErrorCode =
  | 'config_invalid'
  | 'url_invalid'
  | 'url_forbidden'
  | 'feed_dns'
  | 'feed_connect'
  | 'feed_timeout'
  | 'feed_http_status'
  | 'feed_rate_limited'
  | 'feed_too_large'
  | 'feed_too_many_redirects'
  | 'feed_parse'
  | 'feed_empty'
  | 'feed_network'
  | 'storage_full'
  | 'storage_readonly'
  | 'database_unusable'
  | 'opml_invalid'
  | 'not_found'
  | 'summarize_failed'
  | 'usage'
  | 'forbidden'
  | 'rate_limited'
  | 'slack_auth'
  | 'secrets_key_missing';

/** An error with a stable `code`; the message says what happened and what to do next. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/** The exit code for configuration the program cannot run with (sysexits' EX_CONFIG). */
export const EXIT_CONFIG = 78;

/** True when `err` is an AppError, optionally with the given code. */
export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/** A message for any thrown value, without stack or secrets-bearing fields. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
