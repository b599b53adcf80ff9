import { z } from 'zod';
import type { ChatModel } from './chat-model.js';
import { MODEL_CALL_FAILED, ModelError } from './chat-model.js';
import { OFFLINE_MAX_CHARS, summarizeOffline } from './offline-summarizer.js';
import {
  EXTRA_SOURCE_CHARS,
  MAX_SOURCES,
  SOURCE_CHARS,
  SUMMARY_SCHEMA,
  summarySystemPrompt,
  summaryUserPrompt,
} from './prompts.js';
import { stripControlSequences } from './sanitize-text.js';
import type { Summarizer, SummaryInput, SummaryOutput } from './summarizer.js';

const reply = z.object({
  summaries: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).transform(String),
      headline: z.string().optional(),
      summary: z.string(),
    }),
  ),
});

/** Stories per request and material per request: batching shares the instructions across stories. */
const BATCH_STORIES = 10;
const BATCH_CHARS = 12000;

function batches(inputs: SummaryInput[]): SummaryInput[][] {
  const out: SummaryInput[][] = [];
  let current: SummaryInput[] = [];
  let size = 0;
  for (const input of inputs) {
    const chars = input.sources
      .slice(0, MAX_SOURCES)
      .reduce(
        (n, s, i) => n + Math.min(s.text.length, i === 0 ? SOURCE_CHARS : EXTRA_SOURCE_CHARS) + s.title.length,
        input.title.length,
      );
    if (current.length > 0 && (current.length >= BATCH_STORIES || size + chars > BATCH_CHARS)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(input);
    size += chars;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function fallback(input: SummaryInput, reason: string, language: string): SummaryOutput {
  const r = summarizeOffline(input, OFFLINE_MAX_CHARS, language);
  return { summary: r.summary, source: 'fallback', reason, model: null, language: r.language };
}

/**
 * Summarizes with a model, several stories per request. Any failure — outage, timeout, rate limit,
 * garbage, a story left out, a budget reached — yields the offline summary for the stories concerned,
 * marked `fallback` with the reason. Model text is stripped of Slack control sequences and of links
 * that are not the story's own sources.
 */
export function createModelSummarizer(chat: ChatModel): Summarizer {
  return {
    model: chat.model,
    async summarize(inputs, { language }) {
      const out = new Map<string, SummaryOutput>();
      await Promise.all(
        batches(inputs).map(async (batch) => {
          try {
            const value = await chat.completeJson({
              purpose: 'summarize',
              system: summarySystemPrompt(language),
              user: summaryUserPrompt(batch),
              schemaName: 'story_summaries',
              schema: SUMMARY_SCHEMA as unknown as Record<string, unknown>,
              parse: (v) => reply.parse(v),
              maxTokens: 140 * batch.length + 60,
            });
            const byId = new Map(value.summaries.map((s) => [s.id.replace(/^id=/, ''), s]));
            for (const input of batch) {
              const got = byId.get(input.key);
              const allowed = new Set(input.sources.map((s) => s.url).filter((u): u is string => !!u));
              const summary = got ? stripControlSequences(got.summary, allowed) : '';
              if (!got || summary.length < 20) {
                out.set(
                  input.key,
                  fallback(
                    input,
                    got ? 'model summary was empty after cleaning' : 'model left this story out',
                    language,
                  ),
                );
                continue;
              }
              const headline = got.headline ? stripControlSequences(got.headline, new Set()).slice(0, 150) : null;
              out.set(input.key, {
                summary: summary.slice(0, 700),
                headline: headline || null,
                source: 'model',
                reason: null,
                model: chat.model,
                language,
              });
            }
          } catch (err) {
            // Only the fixed reason of the failure's class is stored and shown, never provider text.
            const reason = err instanceof ModelError ? err.message : MODEL_CALL_FAILED;
            for (const input of batch) out.set(input.key, fallback(input, reason, language));
          }
        }),
      );
      return out;
    },
  };
}
