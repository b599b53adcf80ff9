import type { ParsedArgs } from './types.js';

/** Flags that never take a value. */
const BOOLEAN_FLAGS = new Set(['json', 'all', 'help']);

/**
 * Splits command text into words (double quotes group, Slack's smart quotes too) and
 * `--flag value` / `--flag=value` options.
 */
export function parseWords(input: string | string[]): ParsedArgs {
  const words = Array.isArray(input) ? input : tokenize(input);
  const args: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/i.exec(w);
    if (!m) {
      args.push(w);
      continue;
    }
    const name = (m[1] as string).toLowerCase();
    if (m[2] !== undefined) flags[name] = m[2];
    else if (!BOOLEAN_FLAGS.has(name) && i + 1 < words.length && !(words[i + 1] as string).startsWith('--'))
      flags[name] = words[++i] as string;
    else flags[name] = true;
  }
  return { args, flags };
}

function tokenize(s: string): string[] {
  const out: string[] = [];
  const re = /[“"]([^”"]*)[”"]|(\S+)/g;
  for (const m of s.normalize('NFC').matchAll(re)) out.push(m[1] ?? (m[2] as string));
  return out;
}
