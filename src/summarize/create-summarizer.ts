import type { Config } from '../config/load-config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { UsageRepository } from '../store/usage-repository.js';
import { type ChatModel, createChatModel, createOpenAIClient } from './chat-model.js';
import { createModelSummarizer } from './model-summarizer.js';
import { createOfflineSummarizer } from './offline-summarizer.js';
import type { Summarizer } from './summarizer.js';

/** Knobs tests turn down (retry waits, timeouts); production uses the defaults. */
export interface ModelTuning {
  /** @unit milliseconds */
  timeoutMs?: number;
  /** @unit milliseconds */
  retryBaseMs?: number;
  /** @unit milliseconds */
  maxRetryAfterMs?: number;
}

/** Midnight UTC of the day containing `now`: the budget's day. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * The chat model when LLM_MODEL is set, else null. The SDK client is built here with explicit
 * values, so it never reads the environment behind our back.
 */
export function createConfiguredChatModel(
  config: Config,
  deps: { usage: UsageRepository; clock: Clock; logger: Logger; metrics?: Metrics },
  tuning: ModelTuning = {},
): ChatModel | null {
  if (!config.llm.model) return null;
  const client = createOpenAIClient({
    baseUrl: config.llm.baseUrl,
    apiKey: config.llm.apiKey,
    timeoutMs: tuning.timeoutMs ?? 30_000,
  });
  return createChatModel({
    client,
    model: config.llm.model,
    clock: deps.clock,
    logger: deps.logger,
    record: async (r) => {
      await deps.usage.record(r, deps.clock.now());
      deps.metrics?.modelCalls.inc({ purpose: r.purpose, outcome: r.ok ? 'ok' : 'error' });
      deps.metrics?.modelTokens.inc({ purpose: r.purpose, kind: 'prompt' }, r.promptTokens);
      deps.metrics?.modelTokens.inc({ purpose: r.purpose, kind: 'completion' }, r.completionTokens);
    },
    remainingBudget: async (purpose) => {
      const day = startOfUtcDay(deps.clock.now());
      const left = config.llm.dailyTokenBudget - (await deps.usage.tokensSince(day));
      if (purpose !== 'ask') return left;
      // Questions have their own share, so members asking cannot leave the digests' summaries offline.
      const share = Math.floor((config.llm.dailyTokenBudget * config.llm.askBudgetPercent) / 100);
      return Math.min(left, share - (await deps.usage.tokensSince(day, 'ask')));
    },
    retryBaseMs: tuning.retryBaseMs,
    maxRetryAfterMs: tuning.maxRetryAfterMs,
  });
}

/** The model summarizer (with offline fallback) when a model is configured, else the offline one. */
export function createSummarizer(chat: ChatModel | null): Summarizer {
  return chat ? createModelSummarizer(chat) : createOfflineSummarizer();
}
