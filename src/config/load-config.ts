import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { parseSecretsKey } from '../core/secret-box.js';

/** Every setting the program reads, typed; produced only by `loadConfig`. */
export interface Config {
  databasePath: string;
  /** PostgreSQL connection string; when set, the store is PostgreSQL and DATABASE_PATH is never used. */
  databaseUrl?: string;
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    /** OAuth distribution (many workspaces); set only when all three settings are. */
    oauth?: { clientId: string; clientSecret: string; stateSecret: string };
  };
  /** AES-256 key sealing the Slack tokens installations leave in the database (SECRETS_KEY). */
  secretsKey?: Buffer;
  port: number;
  llm: {
    baseUrl?: string;
    apiKey?: string;
    model?: string;
    dailyTokenBudget: number;
    /** The most of the daily budget questions may spend, so they never starve summaries. @unit percent */
    askBudgetPercent: number;
  };
  /** Questions one Slack user may ask per hour. */
  askPerUserPerHour: number;
  digestLanguage: string;
  defaultTimezone: string;
  adminUserIds: string[];
  allowPrivateFeedUrls: boolean;
  feedsFile: string;
  /** Unset: `info` for `serve`, `warn` for one-shot runs, whose own output already reports each outcome. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  poll: {
    intervalMinutes: number;
    concurrency: number;
    perHostConcurrency: number;
    timeoutMs: number;
    maxBytes: number;
    errorLimit: number;
  };
  retentionDays: number;
  /** How long a claim on shared work (a feed's poll, a digest) holds unless renewed. @unit seconds */
  workLeaseSeconds: number;
  /** Built-in sources; null when set to `off`. */
  openRouter: { modelsUrl: string | null; rankingsUrl: string | null; apiKey?: string };
  /** Bearer token for /mcp under `serve`; no token, no /mcp. */
  mcpToken?: string;
}

/** Documented defaults (DESIGN.md §3); `.env.example` lists the same keys. */
export const DEFAULTS = {
  DATABASE_PATH: 'db/ai-news.sqlite',
  PORT: '3000',
  LLM_DAILY_TOKEN_BUDGET: '200000',
  LLM_ASK_BUDGET_PERCENT: '25',
  ASK_RATE_LIMIT_PER_HOUR: '20',
  DIGEST_LANGUAGE: 'en',
  DEFAULT_TIMEZONE: 'UTC',
  ALLOW_PRIVATE_FEED_URLS: 'false',
  FEEDS_FILE: 'feeds/default.opml',
  POLL_INTERVAL_MINUTES: '30',
  POLL_CONCURRENCY: '8',
  POLL_PER_HOST_CONCURRENCY: '2',
  FEED_TIMEOUT_MS: '20000',
  FEED_MAX_BYTES: String(10 * 1024 * 1024),
  FEED_ERROR_LIMIT: '10',
  RETENTION_DAYS: '180',
  WORK_LEASE_SECONDS: '120',
  OPENROUTER_MODELS_URL: 'https://openrouter.ai/api/v1/models',
  OPENROUTER_RANKINGS_URL: 'https://openrouter.ai/api/v1/datasets/rankings-daily',
} as const;

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const int = (min: number, max: number, hint: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number (${hint})`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max} (${hint})`);

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

function isHttpUrl(v: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

const httpUrl = (hint: string) => z.string().trim().refine(isHttpUrl, `must be an http(s) URL (${hint})`);

/** A built-in source's URL, or `off` (null) to disable it. */
const sourceUrl = (hint: string) =>
  z
    .string()
    .trim()
    .refine((v) => v.toLowerCase() === 'off' || isHttpUrl(v), `must be an http(s) URL (${hint}) or off to disable it`)
    .transform((v) => (v.toLowerCase() === 'off' ? null : v));

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isLanguage(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** postgres:// or postgresql:// with a host; parsed, not matched, so a typo is caught here. */
function isPostgresUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const schema = z.object({
  DATABASE_PATH: z.string().trim().min(1, 'must be a file path, e.g. db/ai-news.sqlite'),
  DATABASE_URL: optional.refine(
    (v) => v === undefined || isPostgresUrl(v),
    'must be a PostgreSQL URL, e.g. postgres://user:password@host:5432/ai_news',
  ),
  SLACK_BOT_TOKEN: optional.refine((v) => v === undefined || v.startsWith('xoxb-'), 'must start with xoxb-'),
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional.refine((v) => v === undefined || v.startsWith('xapp-'), 'must start with xapp-'),
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional.refine(
    (v) => v === undefined || v.length >= 16,
    'must be at least 16 characters (e.g. `openssl rand -hex 32`); it signs the OAuth state',
  ),
  SECRETS_KEY: optional.refine(
    (v) => v === undefined || parseSecretsKey(v) !== undefined,
    'must be 32 bytes written as 64 hex digits or as base64 (e.g. `openssl rand -hex 32`)',
  ),
  SLACK_API_URL: optional.pipe(httpUrl('e.g. https://slack.com/api/').optional()),
  PORT: int(0, 65535, 'e.g. 3000; 0 picks a free port'),
  LLM_BASE_URL: optional.pipe(httpUrl('e.g. https://api.openai.com/v1 or http://localhost:11434/v1').optional()),
  LLM_API_KEY: optional,
  LLM_MODEL: optional,
  LLM_DAILY_TOKEN_BUDGET: int(0, 1_000_000_000, 'tokens per day, e.g. 200000'),
  LLM_ASK_BUDGET_PERCENT: int(0, 100, 'percent of LLM_DAILY_TOKEN_BUDGET questions may spend, e.g. 25'),
  ASK_RATE_LIMIT_PER_HOUR: int(1, 10_000, 'questions one user may ask per hour, e.g. 20'),
  DIGEST_LANGUAGE: z.string().trim().refine(isLanguage, 'must be a BCP 47 language tag, e.g. en or es'),
  DEFAULT_TIMEZONE: z.string().trim().refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Madrid'),
  ADMIN_USER_IDS: optional,
  ALLOW_PRIVATE_FEED_URLS: bool,
  FEEDS_FILE: z.string().trim().min(1, 'must be a path to an OPML file'),
  LOG_LEVEL: optional.pipe(
    z.enum(['debug', 'info', 'warn', 'error'], 'must be one of debug, info, warn, error').optional(),
  ),
  POLL_INTERVAL_MINUTES: int(1, 1440, 'minutes between polls of one feed'),
  POLL_CONCURRENCY: int(1, 64, 'feeds fetched at once'),
  POLL_PER_HOST_CONCURRENCY: int(1, 16, 'feeds fetched at once from one host'),
  FEED_TIMEOUT_MS: int(100, 300_000, 'milliseconds'),
  FEED_MAX_BYTES: int(1024, 1024 * 1024 * 1024, 'bytes'),
  FEED_ERROR_LIMIT: int(1, 1000, 'consecutive failures before a feed is paused'),
  RETENTION_DAYS: int(1, 36500, 'days'),
  WORK_LEASE_SECONDS: int(1, 3600, 'seconds a dead process keeps its claimed work from others, e.g. 120'),
  OPENROUTER_MODELS_URL: sourceUrl('the OpenRouter model list'),
  OPENROUTER_RANKINGS_URL: sourceUrl('the OpenRouter daily rankings'),
  OPENROUTER_API_KEY: optional,
  MCP_TOKEN: optional.refine(
    (v) => v === undefined || (v.length >= 16 && !/\s/.test(v)),
    'must be at least 16 characters without spaces (e.g. `openssl rand -hex 32`)',
  ),
});

/**
 * Reads the environment into a typed Config. Pure: pass `process.env` or a test object.
 * Throws one AppError('config_invalid') naming every bad key.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const input: Record<string, string | undefined> = { ...DEFAULTS };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && (v !== '' || !(k in DEFAULTS))) input[k] = v;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new AppError(
      'config_invalid',
      `config: invalid settings:\n${lines.join('\n')}\nFix them in the environment or .env.`,
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.LLM_BASE_URL && !e.LLM_MODEL)
    problems.push('  LLM_MODEL: required when LLM_BASE_URL is set (e.g. gpt-4o-mini)');
  const admins = (e.ADMIN_USER_IDS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const badAdmin = admins.find((id) => !/^[UW][A-Z0-9]{2,}$/.test(id));
  if (badAdmin) problems.push(`  ADMIN_USER_IDS: "${badAdmin}" is not a Slack user ID (e.g. U0123ABCD)`);
  problems.push(...oauthProblems(e));
  if (problems.length > 0) {
    throw new AppError(
      'config_invalid',
      `config: invalid settings:\n${problems.join('\n')}\nFix them in the environment or .env.`,
    );
  }
  const oauth =
    e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
      ? { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET, stateSecret: e.SLACK_STATE_SECRET }
      : undefined;
  return {
    databasePath: e.DATABASE_PATH,
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      ...(oauth ? { oauth } : {}),
    },
    ...(e.SECRETS_KEY ? { secretsKey: parseSecretsKey(e.SECRETS_KEY) } : {}),
    port: e.PORT,
    llm: {
      baseUrl: e.LLM_BASE_URL,
      apiKey: e.LLM_API_KEY,
      model: e.LLM_MODEL,
      dailyTokenBudget: e.LLM_DAILY_TOKEN_BUDGET,
      askBudgetPercent: e.LLM_ASK_BUDGET_PERCENT,
    },
    askPerUserPerHour: e.ASK_RATE_LIMIT_PER_HOUR,
    digestLanguage: e.DIGEST_LANGUAGE,
    defaultTimezone: e.DEFAULT_TIMEZONE,
    adminUserIds: admins,
    allowPrivateFeedUrls: e.ALLOW_PRIVATE_FEED_URLS,
    feedsFile: e.FEEDS_FILE,
    logLevel: e.LOG_LEVEL,
    poll: {
      intervalMinutes: e.POLL_INTERVAL_MINUTES,
      concurrency: e.POLL_CONCURRENCY,
      perHostConcurrency: e.POLL_PER_HOST_CONCURRENCY,
      timeoutMs: e.FEED_TIMEOUT_MS,
      maxBytes: e.FEED_MAX_BYTES,
      errorLimit: e.FEED_ERROR_LIMIT,
    },
    retentionDays: e.RETENTION_DAYS,
    workLeaseSeconds: e.WORK_LEASE_SECONDS,
    openRouter: {
      modelsUrl: e.OPENROUTER_MODELS_URL,
      rankingsUrl: e.OPENROUTER_RANKINGS_URL,
      apiKey: e.OPENROUTER_API_KEY,
    },
    mcpToken: e.MCP_TOKEN,
  };
}

const OAUTH_KEYS = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/**
 * OAuth distribution is all three settings or none, and excludes the single-workspace modes: one bot
 * token (SLACK_BOT_TOKEN) and Socket Mode (SLACK_APP_TOKEN), which has no public URL to install through.
 */
function oauthProblems(e: Partial<Record<string, unknown>>): string[] {
  const set = OAUTH_KEYS.filter((k) => e[k] !== undefined);
  if (set.length === 0) return [];
  const out: string[] = [];
  const missing = OAUTH_KEYS.filter((k) => e[k] === undefined);
  if (missing.length > 0)
    out.push(
      `  ${missing.join(', ')}: required with ${set.join(', ')} for OAuth distribution (Basic Information → App Credentials); set all three, or none for one workspace`,
    );
  if (e.SLACK_BOT_TOKEN !== undefined)
    out.push(
      '  SLACK_BOT_TOKEN: not used with OAuth distribution (each workspace installs its own token); unset it, or unset SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for one workspace',
    );
  if (e.SLACK_APP_TOKEN !== undefined)
    out.push(
      '  SLACK_APP_TOKEN: Socket Mode serves one workspace; OAuth distribution needs HTTP mode (SLACK_SIGNING_SECRET and a public URL). Unset one of them',
    );
  return out;
}

/** True when the app serves many workspaces, each with the token its installation stored. */
export function isMultiWorkspace(c: Config): boolean {
  return c.slack.oauth !== undefined;
}

/**
 * The key that opens stored Slack tokens. Without it, installations cannot be stored or read:
 * AppError('secrets_key_missing'), which the front ends report with exit code 78 (EX_CONFIG).
 */
export function requireSecretsKey(c: Config): Buffer {
  if (c.secretsKey) return c.secretsKey;
  throw new AppError(
    'secrets_key_missing',
    'config: SECRETS_KEY is required with OAuth distribution (SLACK_CLIENT_ID…): it encrypts the Slack tokens each workspace installs. Generate one with `openssl rand -hex 32`, keep it with your other secrets, and start again.',
  );
}

/**
 * The Slack settings `serve` needs, checked only there: the CLI posts with the bot token alone, and a
 * poll needs no Slack at all. Throws one AppError('config_invalid') naming what is missing.
 */
export function requireServeSettings(c: Config): void {
  const problems: string[] = [];
  if (isMultiWorkspace(c)) {
    if (!c.slack.signingSecret)
      problems.push(
        '  SLACK_SIGNING_SECRET: required to serve Slack over HTTP (Basic Information → Signing Secret); OAuth distribution runs in HTTP mode only',
      );
  } else if (!c.slack.botToken)
    problems.push(
      '  SLACK_BOT_TOKEN: required to serve (with SLACK_SIGNING_SECRET for HTTP, or SLACK_APP_TOKEN for Socket Mode), or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for OAuth distribution',
    );
  else if (!c.slack.signingSecret && !c.slack.appToken)
    problems.push(
      '  SLACK_SIGNING_SECRET: required to serve Slack over HTTP (Basic Information → Signing Secret), or set SLACK_APP_TOKEN for Socket Mode',
    );
  if (problems.length > 0)
    throw new AppError(
      'config_invalid',
      `config: invalid settings:\n${problems.join('\n')}\nFix them in the environment or .env.`,
    );
  if (isMultiWorkspace(c)) requireSecretsKey(c);
}

/** The config with secrets masked, for logs and `stats`. */
export function describeConfig(c: Config): Record<string, unknown> {
  const mask = (v?: string) => (v ? `${v.slice(0, 4)}…` : undefined);
  return {
    ...c,
    slack: {
      ...c.slack,
      botToken: mask(c.slack.botToken),
      signingSecret: mask(c.slack.signingSecret),
      appToken: mask(c.slack.appToken),
      oauth: c.slack.oauth && { clientId: c.slack.oauth.clientId, clientSecret: '…', stateSecret: '…' },
    },
    secretsKey: c.secretsKey ? '…' : undefined,
    llm: { ...c.llm, apiKey: mask(c.llm.apiKey) },
    openRouter: { ...c.openRouter, apiKey: mask(c.openRouter.apiKey) },
    mcpToken: mask(c.mcpToken),
  };
}
