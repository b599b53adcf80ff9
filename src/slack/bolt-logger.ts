import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../core/logger.js';

/** Bolt's logger interface over ours, so Slack's messages land in the same JSON lines. */
export function boltLogger(logger: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const text = (msg: unknown[]) =>
    msg.map((m) => (typeof m === 'string' ? m : ((m as Error)?.message ?? JSON.stringify(m)))).join(' ');
  return {
    debug: (...m: unknown[]) => level === LogLevel.DEBUG && logger.debug(`slack: ${text(m)}`),
    info: (...m: unknown[]) =>
      (level === LogLevel.DEBUG || level === LogLevel.INFO) && logger.info(`slack: ${text(m)}`),
    warn: (...m: unknown[]) => level !== LogLevel.ERROR && logger.warn(`slack: ${text(m)}`),
    error: (...m: unknown[]) => logger.error(`slack: ${text(m)}`),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  } as SlackLogger;
}
