import type { DigestSink } from '../digest/digest-sink.js';

/** Posts digests to the terminal (the CLI's sink when Slack is not configured). */
export function createTerminalSink(write: (s: string) => void): DigestSink {
  let n = 0;
  return {
    async post(channel, message, options) {
      n++;
      write(`${options.threadTs ? '  ↳ ' : ''}[${channel}] ${message.text}\n`);
      return { ts: `terminal.${process.pid}.${n}` };
    },
    async findPosted() {
      return new Map();
    },
  };
}
