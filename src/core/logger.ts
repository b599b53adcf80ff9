export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logger: a message with a module prefix ("feeds: …") and a context object. */
export interface Logger {
  debug(msg: string, ctx?: Record<string, unknown>): void;
  info(msg: string, ctx?: Record<string, unknown>): void;
  warn(msg: string, ctx?: Record<string, unknown>): void;
  error(msg: string, ctx?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|secret|key|password|authorization/i;

/**
 * Credential shapes redacted inside any logged string (a provider may echo the request's key in its
 * error text). The recognisable prefix is kept so the log still says which credential it was.
 */
const SECRET_SHAPES: [RegExp, string][] = [
  // OpenAI sk-…, sk-proj-…, Anthropic sk-ant-…, OpenRouter sk-or-…; Groq gsk_…; xAI, Perplexity, Replicate.
  [/\b(sk-|gsk_)[A-Za-z0-9_-]{6,}/g, '$1[redacted]'],
  [/\b(xai-|pplx-|r8_)[A-Za-z0-9]{20,}/g, '$1[redacted]'],
  // Slack bot, user, app, configuration and rotating tokens: xoxb-, xoxp-, xoxa-, xoxe-, xoxe.xoxp-, xapp-.
  [/\b(xox[a-z](?:\.xox[a-z])?-|xapp-)[A-Za-z0-9-_]{6,}/g, '$1[redacted]'],
  // Google API keys, Hugging Face, GitHub (classic and fine-grained), AWS access key ids.
  [/\b(AIza)[0-9A-Za-z_-]{20,}/g, '$1[redacted]'],
  [/\b(hf_)[A-Za-z0-9]{10,}/g, '$1[redacted]'],
  [/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{10,}/g, '$1[redacted]'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, '$1[redacted]'],
  // JSON Web Tokens.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '[redacted-jwt]'],
  // Authorization header values, whatever the token looks like.
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{4,}/g, '$1 [redacted]'],
  // Credentials in query strings and URLs.
  [
    /([?&;](?:api[_-]?key|key|token|access[_-]?token|auth|apikey|secret|password|sig|signature|code)=)[^&\s"'#]+/gi,
    '$1[redacted]',
  ],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi, '$1[redacted]@'],
  // Long hex strings: API keys of many providers (and any secret printed as hex).
  [/\b[0-9a-fA-F]{32,}\b/g, '[redacted-hex]'],
];

/** A string with every credential shape replaced. */
export function redactText(text: string): string {
  let out = text;
  for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** Replaces secret-looking values (by key name, and by credential shape) so logs never carry them. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 5) return '[deep]';
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

/** JSON-lines logger writing to stderr, so stdout stays clean for command output. */
export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const min = ORDER[level];
  const log = (lvl: LogLevel) => (msg: string, ctx?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    const entry = {
      time: new Date().toISOString(),
      level: lvl,
      msg: redactText(msg),
      ...(ctx ? (redact(ctx) as object) : {}),
    };
    write(`${JSON.stringify(entry)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
