/** One story to summarize: its headline and its sources' text (untrusted material). */
export interface SummaryInput {
  key: string;
  title: string;
  sources: { title: string; text: string; feed: string | null; url: string | null; language: string | null }[];
}

/** A summary and how it was made. */
export interface SummaryOutput {
  summary: string;
  headline?: string | null;
  source: 'model' | 'offline' | 'fallback';
  reason: string | null;
  model: string | null;
  language: string | null;
}

/** The summarizer port: a model behind an OpenAI-compatible API, or the offline extractive one. */
export interface Summarizer {
  /** `offline`, or the model id. */
  readonly model: string;
  summarize(inputs: SummaryInput[], options: { language: string }): Promise<Map<string, SummaryOutput>>;
}
