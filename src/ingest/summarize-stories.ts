import { createHash } from 'node:crypto';
import type { Services } from '../compose.js';
import type { Story, StorySource } from '../store/story-repository.js';
import { primaryLanguage } from '../summarize/detect-language.js';
import type { SummaryInput } from '../summarize/summarizer.js';

/**
 * Sources shown to a summarizer: one per outlet first, those in the digest's language before others,
 * earliest first, at most `max`.
 */
export function pickSources(sources: StorySource[], max = 4, language: string | null = null): StorySource[] {
  const want = primaryLanguage(language);
  const preferred = want ? [...sources].sort((a, b) => rankLanguage(a, want) - rankLanguage(b, want)) : sources;
  const byFeed = new Map<number, StorySource>();
  for (const s of preferred) if (!byFeed.has(s.feedId)) byFeed.set(s.feedId, s);
  const picked = [...byFeed.values()];
  for (const s of preferred) if (picked.length < max && !picked.includes(s)) picked.push(s);
  return picked.slice(0, max);
}

function rankLanguage(s: StorySource, want: string): number {
  return primaryLanguage(s.language) === want ? 0 : 1;
}

/** What a summarizer sees of a story: its title and its picked sources. */
function storyInput(s: Services, story: { id: number; title: string }): SummaryInput {
  return {
    key: String(story.id),
    title: story.title,
    sources: pickSources(s.stories.sources(story.id), 4, s.config.digestLanguage).map((x) => ({
      title: x.title,
      text: x.text,
      feed: x.feedTitle,
      url: x.url,
      language: x.language,
    })),
  };
}

function cacheKey(model: string, language: string, input: SummaryInput): string {
  const h = createHash('sha256').update(`${model}\n${language}\n`);
  for (const s of input.sources) h.update(`${s.title}\n${s.text.slice(0, 700)}\n`);
  return h.digest('base64url');
}

export interface SummarizeReport {
  summarized: number;
  model: number;
  offline: number;
  fallback: number;
  cached: number;
}

/**
 * Summarizes the stories that need it — new ones, and those whose coverage grew substantially since
 * their only summary — never the same story again on a re-poll. Model summaries are cached by content,
 * model and language, so identical material is never paid for twice.
 */
export async function summarizeStories(s: Services): Promise<SummarizeReport> {
  const report: SummarizeReport = { summarized: 0, model: 0, offline: 0, fallback: 0, cached: 0 };
  // In batches, so a first poll of thousands of stories never holds all their sources at once.
  for (;;) {
    const before = report.summarized;
    const batch = s.stories.needingSummary(200);
    if (batch.length === 0) return report;
    await summarizeBatch(s, batch, report);
    if (report.summarized === before) return report; // nothing could be summarized: stop, try next cycle
  }
}

async function summarizeBatch(s: Services, stories: Story[], report: SummarizeReport): Promise<void> {
  const language = s.config.digestLanguage;
  const inputs: SummaryInput[] = [];
  const keys = new Map<string, string>();
  for (const story of stories) {
    const input = storyInput(s, story);
    const key = cacheKey(s.summarizer.model, language, input);
    const hit = s.summarizer.model === 'offline' ? undefined : s.usage.cached(key);
    if (hit) {
      const { summary, headline } = JSON.parse(hit) as { summary: string; headline: string | null };
      s.stories.setSummary(story.id, {
        summary,
        headline,
        source: 'model',
        reason: 'cached',
        model: s.summarizer.model,
        language,
      });
      report.cached++;
      report.summarized++;
      continue;
    }
    keys.set(input.key, key);
    inputs.push(input);
  }
  const results = await s.summarizer.summarize(inputs, { language });
  const now = s.clock.now();
  for (const input of inputs) {
    const r = results.get(input.key);
    if (!r) continue;
    s.stories.setSummary(Number(input.key), {
      summary: r.summary,
      headline: r.headline,
      source: r.source,
      reason: r.reason,
      model: r.model,
      language: r.language,
    });
    if (r.source === 'model')
      s.usage.cache(
        keys.get(input.key) as string,
        JSON.stringify({ summary: r.summary, headline: r.headline ?? null }),
        r.model ?? '',
        now,
      );
    report[r.source]++;
    report.summarized++;
  }
}

/**
 * Summaries of stories in another language than they were summarized in (a channel's own language),
 * by the model, cached like any summary. Stories the model cannot do are left out of the map.
 */
export async function summarizeInLanguage(
  s: Services,
  stories: { id: number; title: string }[],
  language: string,
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (!s.chat || stories.length === 0) return out;
  const inputs: SummaryInput[] = [];
  const keys = new Map<string, string>();
  for (const st of stories) {
    const input = storyInput(s, st);
    const key = cacheKey(s.summarizer.model, language, input);
    const hit = s.usage.cached(key);
    if (hit) out.set(st.id, (JSON.parse(hit) as { summary: string }).summary);
    else {
      keys.set(input.key, key);
      inputs.push(input);
    }
  }
  const results = await s.summarizer.summarize(inputs, { language });
  for (const [k, r] of results) {
    if (r.source !== 'model') continue;
    out.set(Number(k), r.summary);
    s.usage.cache(
      keys.get(k) as string,
      JSON.stringify({ summary: r.summary, headline: r.headline ?? null }),
      r.model ?? '',
      s.clock.now(),
    );
  }
  return out;
}
