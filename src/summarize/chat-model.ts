import OpenAI from 'openai';
import pLimit from 'p-limit';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { tokenCount } from '../core/token-count.js';
import type { UsageRecord } from '../store/usage-repository.js';
import { CircuitBreaker } from './circuit-breaker.js';

/** The classes of model failure; each has one fixed, user-facing reason. */
export type ModelFailure =
  | 'budget'
  | 'ask_budget'
  | 'circuit_open'
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'connection'
  | 'bad_json'
  | 'invalid_reply'
  | 'refused'
  | 'empty'
  | 'rejected';

/**
 * The reason users see and the database stores for a failure class. Never the provider's own text:
 * an endpoint may echo the request's key or other secrets in its error message.
 */
export function failureReason(reason: ModelFailure, status?: number): string {
  const code = status !== undefined && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
  switch (reason) {
    case 'budget':
      return 'the daily token budget is spent';
    case 'ask_budget':
      return "today's model budget for questions is used up until 00:00 UTC";
    case 'circuit_open':
      return 'the model is paused after repeated failures; offline summaries for now';
    case 'timeout':
      return 'the model timed out';
    case 'rate_limited':
      return 'the model is rate-limited (429)';
    case 'server_error':
      return `the model server failed${code ? ` (${code})` : ''}`;
    case 'connection':
      return 'the model server is unreachable';
    case 'bad_json':
    case 'invalid_reply':
      return 'the model returned invalid output';
    case 'refused':
      return 'the model refused the request';
    case 'empty':
      return 'the model returned an empty reply';
    case 'rejected':
      return `the model rejected the request${code ? ` (${code})` : ''}`;
  }
}

/**
 * Why a model call produced nothing usable; the caller falls back and records the reason. `message` is
 * the fixed reason of its class; `detail` (provider or model text) is for the logs only, redacted there.
 */
export class ModelError extends Error {
  readonly detail: string | undefined;

  constructor(
    readonly reason: ModelFailure,
    options: { status?: number; detail?: string } = {},
  ) {
    super(failureReason(reason, options.status));
    this.name = 'ModelError';
    this.detail = options.detail;
  }
}

/** The reason recorded for a failure that is not the model's (a bug or the store): fixed text too. */
export const MODEL_CALL_FAILED = 'the model call failed';

export interface JsonRequest<T> {
  purpose: 'summarize' | 'ask';
  /** The team that asked (a question's tokens are its spend); absent for shared work such as summaries. */
  team?: string;
  system: string;
  user: string;
  schemaName: string;
  /** JSON Schema of the reply, sent as `response_format` when the provider accepts it. */
  schema: Record<string, unknown>;
  /** Validates the decoded reply; throws when it does not fit. */
  parse: (value: unknown) => T;
  maxTokens: number;
}

/** A JSON-replying chat model with retries, a circuit breaker, a daily token budget and a ledger. */
export interface ChatModel {
  readonly model: string;
  completeJson<T>(request: JsonRequest<T>): Promise<T>;
}

export interface ChatModelOptions {
  client: OpenAI;
  model: string;
  clock: Clock;
  logger: Logger;
  /** Writes one ledger row per call. */
  record: (r: UsageRecord) => Promise<void>;
  /** Tokens still allowed today for a purpose; a request whose estimate exceeds it is not sent. */
  remainingBudget: (purpose: JsonRequest<unknown>['purpose']) => Promise<number>;
  concurrency?: number;
  retries?: number;
  /** @unit milliseconds */
  retryBaseMs?: number;
  /** Longest Retry-After honoured inline; longer waits open the circuit instead. @unit milliseconds */
  maxRetryAfterMs?: number;
  breaker?: CircuitBreaker;
}

/** Builds the OpenAI SDK client from explicit settings (never from the environment). */
export function createOpenAIClient(o: {
  baseUrl?: string;
  apiKey?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): OpenAI {
  return new OpenAI({
    baseURL: o.baseUrl ?? 'https://api.openai.com/v1',
    // Local servers (Ollama, vLLM) need no key, but the SDK refuses to start without one.
    apiKey: o.apiKey || 'not-needed',
    timeout: o.timeoutMs ?? 30_000,
    maxRetries: 0, // retries are ours: bounded Retry-After, jitter, and a circuit breaker
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
}

function retryAfterMs(err: unknown, now: Date): number | undefined {
  const headers = (err as { headers?: Headers | Record<string, string> })?.headers;
  const get = (k: string) =>
    (headers instanceof Headers ? headers.get(k) : (headers as Record<string, string> | undefined)?.[k]) ?? null;
  const ms = Number(get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const v = get('retry-after');
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return s * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function classify(err: unknown, now: Date): { error: ModelError; retryable: boolean; waitMs?: number } {
  if (err instanceof ModelError) return { error: err, retryable: false };
  const detail = (err as Error)?.message ?? String(err);
  if (err instanceof OpenAI.APIConnectionTimeoutError)
    return { error: new ModelError('timeout', { detail }), retryable: true };
  if (err instanceof OpenAI.APIConnectionError)
    return { error: new ModelError('connection', { detail }), retryable: true };
  if (err instanceof OpenAI.RateLimitError)
    return {
      error: new ModelError('rate_limited', { status: 429, detail }),
      retryable: true,
      waitMs: retryAfterMs(err, now),
    };
  if (err instanceof OpenAI.APIError && (err.status ?? 0) >= 500) {
    return {
      error: new ModelError('server_error', { status: err.status, detail }),
      retryable: true,
      waitMs: retryAfterMs(err, now),
    };
  }
  if (err instanceof OpenAI.APIError)
    return { error: new ModelError('rejected', { status: err.status, detail }), retryable: false };
  return { error: new ModelError('connection', { detail }), retryable: true };
}

/** Pulls a JSON object out of a reply that may wrap it in a code fence or prose. */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1] ?? text;
  const start = fenced.indexOf('{');
  const end = fenced.lastIndexOf('}');
  if (start < 0 || end <= start) throw new ModelError('bad_json', { detail: 'the reply held no JSON object' });
  try {
    return JSON.parse(fenced.slice(start, end + 1));
  } catch (err) {
    throw new ModelError('bad_json', { detail: `the reply was not valid JSON: ${(err as Error).message}` });
  }
}

/** A short description of a validation failure (zod's issues are long). */
function errorText(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).slice(0, 300);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The model behind any OpenAI-compatible endpoint. */
export function createChatModel(o: ChatModelOptions): ChatModel {
  const limit = pLimit(o.concurrency ?? 2);
  const breaker = o.breaker ?? new CircuitBreaker();
  const retries = o.retries ?? 2;
  const base = o.retryBaseMs ?? 1000;
  const maxWait = o.maxRetryAfterMs ?? 20_000;
  let jsonSchema = true; // until the provider rejects response_format once
  /** A call that produced no usage: recorded so failures show in `usage` and the metrics. */
  const recordFailure = async (purpose: JsonRequest<unknown>['purpose'], error: string) =>
    await o.record({ purpose, model: o.model, promptTokens: 0, completionTokens: 0, ok: false, error });

  async function callOnce<T>(req: JsonRequest<T>): Promise<T> {
    const withSchema = jsonSchema;
    const system = withSchema
      ? req.system
      : `${req.system}\n\nReply with only one JSON object, no prose, matching this JSON Schema:\n${JSON.stringify(req.schema)}`;
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await o.client.chat.completions.create({
        model: o.model,
        temperature: 0.2,
        max_tokens: req.maxTokens,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: req.user },
        ],
        ...(withSchema
          ? {
              response_format: {
                type: 'json_schema' as const,
                json_schema: { name: req.schemaName, strict: true, schema: req.schema },
              },
            }
          : {}),
      });
    } catch (err) {
      if (withSchema && err instanceof OpenAI.BadRequestError) {
        // Many OpenAI-compatible servers reject json_schema; ask for JSON in the prompt instead.
        o.logger.warn('summarize: provider rejected response_format; using JSON instructions', {
          model: o.model,
          detail: err.message,
        });
        await recordFailure(req.purpose, 'response_format rejected (400)');
        jsonSchema = false;
        return callOnce(req);
      }
      throw err;
    }
    const usage = {
      prompt: tokenCount(completion.usage?.prompt_tokens),
      completion: tokenCount(completion.usage?.completion_tokens),
    };
    const message = completion.choices?.[0]?.message;
    try {
      if (!message) throw new ModelError('empty', { detail: 'no choice in the reply' });
      if (message.refusal) throw new ModelError('refused', { detail: String(message.refusal).slice(0, 200) });
      if (!message.content?.trim()) throw new ModelError('empty', { detail: 'empty message content' });
      let value: T;
      try {
        value = req.parse(extractJson(message.content));
      } catch (err) {
        if (err instanceof ModelError) throw err;
        throw new ModelError('invalid_reply', {
          detail: `the reply did not match the expected shape: ${errorText(err)}`,
        });
      }
      await o.record({
        purpose: req.purpose,
        team: req.team ?? null,
        model: o.model,
        promptTokens: usage.prompt,
        completionTokens: usage.completion,
        ok: true,
      });
      return value;
    } catch (err) {
      await o.record({
        purpose: req.purpose,
        team: req.team ?? null,
        model: o.model,
        promptTokens: usage.prompt,
        completionTokens: usage.completion,
        ok: false,
        error: err instanceof ModelError ? err.message : MODEL_CALL_FAILED,
      });
      throw err;
    }
  }

  return {
    model: o.model,
    completeJson<T>(req: JsonRequest<T>): Promise<T> {
      return limit(async () => {
        if (breaker.isOpen(o.clock.now())) throw new ModelError('circuit_open');
        const estimate = Math.ceil((req.system.length + req.user.length) / 3.5) + req.maxTokens;
        if (estimate > (await o.remainingBudget(req.purpose)))
          throw new ModelError(req.purpose === 'ask' ? 'ask_budget' : 'budget');
        for (let attempt = 0; ; attempt++) {
          try {
            const value = await callOnce(req);
            breaker.success();
            return value;
          } catch (err) {
            const c = classify(err, o.clock.now());
            if (!(err instanceof ModelError)) {
              await recordFailure(req.purpose, c.error.message);
            }
            const tooLong = c.waitMs !== undefined && c.waitMs > maxWait;
            // Every failed attempt counts, so one call that exhausts its retries opens the circuit.
            if (c.retryable || c.error.reason === 'bad_json' || c.error.reason === 'invalid_reply')
              breaker.failure(o.clock.now(), tooLong ? c.waitMs : undefined);
            if (!c.retryable || attempt >= retries || tooLong || breaker.isOpen(o.clock.now())) {
              // The provider's own words only reach the log, where the logger redacts key shapes.
              o.logger.warn('summarize: model call failed', {
                model: o.model,
                reason: c.error.reason,
                message: c.error.message,
                detail: c.error.detail,
              });
              throw c.error;
            }
            const backoff = c.waitMs ?? base * 2 ** attempt * (0.5 + Math.random());
            await sleep(backoff);
          }
        }
      });
    },
  };
}
