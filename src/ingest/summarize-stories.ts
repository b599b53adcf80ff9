import { createHash } from 'node:crypto';
import type { Services } from '../compose.js';
import { yieldToLoop } from '../core/yield-to-loop.js';
import type { Story, SummaryWrite } from '../store/story-repository.js';
import { withClaims } from '../store/with-claim.js';
import { primaryLanguage } from '../summarize/detect-language.js';
import type { SummaryInput, SummaryOutput } from '../summarize/summarizer.js';

/**
 * Sources shown to a summarizer: one per outlet first, those in the digest's language before others,
 * earliest first, at most `max`.
 */
export function pickSources<T extends Pickable>(sources: T[], max = 4, language: string | null = null): T[] {
  const want = primaryLanguage(language);
  const preferred = want ? [...sources].sort((a, b) => rankLanguage(a, want) - rankLanguage(b, want)) : sources;
  const byFeed = new Map<number, T>();
  for (const s of preferred) if (!byFeed.has(s.feedId)) byFeed.set(s.feedId, s);
  const picked = [...byFeed.values()];
  for (const s of preferred) if (picked.length < max && !picked.includes(s)) picked.push(s);
  return picked.slice(0, max);
}

/** What choosing sources looks at: the outlet and the language. */
interface Pickable {
  feedId: number;
  language: string | null;
}

function rankLanguage(s: Pickable, want: string): number {
  return primaryLanguage(s.language) === want ? 0 : 1;
}

/**
 * What a summarizer sees of each story: its title and its picked sources, chosen from the first 100 by
 * outlet and language alone; only the chosen ones are read with their text, all in one statement.
 */
async function storyInputs(s: Services, stories: readonly { id: number; title: string }[]): Promise<SummaryInput[]> {
  const refs = await s.stories.sourceRefsOf(stories.map((st) => st.id));
  const picked = new Map(
    stories.map((st) => [st.id, pickSources(refs.get(st.id) ?? [], 4, s.config.digestLanguage).map((r) => r.itemId)]),
  );
  const sources = new Map((await s.stories.sourcesOf([...picked.values()].flat())).map((x) => [x.itemId, x]));
  return stories.map((st) => ({
    key: String(st.id),
    title: st.title,
    sources: (picked.get(st.id) ?? [])
      .map((itemId) => sources.get(itemId))
      .filter((x) => x !== undefined)
      .map((x) => ({ title: x.title, text: x.text, feed: x.feedTitle, url: x.url, language: x.language })),
  }));
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
 * Stories per slice: their sources are read, summarized (up to 5 model requests) and written together,
 * and the event loop runs between two slices.
 */
const SUMMARIZE_SLICE = 50;

/**
 * Summarizes the stories that need it — new ones, and those whose coverage grew substantially since
 * their only summary — never the same story again on a re-poll. Model summaries are cached by content,
 * model and language, so identical material is never paid for twice. Each story is claimed while it is
 * summarized, so concurrent processes never pay for one story twice; stories another process holds
 * are left to it.
 */
export async function summarizeStories(s: Services): Promise<SummarizeReport> {
  const report: SummarizeReport = { summarized: 0, model: 0, offline: 0, fallback: 0, cached: 0 };
  // In slices, so a first poll of thousands of stories never holds all their sources at once.
  for (;;) {
    const before = report.summarized;
    const batch = await s.stories.needingSummary(SUMMARIZE_SLICE);
    if (batch.length === 0) return report;
    await withClaims(
      s.claims,
      s.clock,
      batch.map((st) => `summary:${st.id}`),
      async (claimed) => {
        const mine = new Set(claimed);
        const stories = batch.filter((st) => mine.has(`summary:${st.id}`));
        if (stories.length > 0) await summarizeBatch(s, stories, report);
      },
    );
    if (report.summarized === before) return report; // nothing could be summarized: stop, try next cycle
    await yieldToLoop();
  }
}

async function summarizeBatch(s: Services, stories: Story[], report: SummarizeReport): Promise<void> {
  const language = s.config.digestLanguage;
  const inputs: SummaryInput[] = [];
  const keys = new Map<string, string>();
  const cached: { id: number; summary: string; headline: string | null }[] = [];
  // Another process may have summarized some between the listing and the claim.
  const still = await s.stories.stillNeedingSummary(stories.map((st) => st.id));
  for (const input of await storyInputs(
    s,
    stories.filter((st) => still.has(st.id)),
  )) {
    const key = cacheKey(s.summarizer.model, language, input);
    const hit = s.summarizer.model === 'offline' ? undefined : await s.usage.cached(key);
    if (hit) {
      const { summary, headline } = JSON.parse(hit) as { summary: string; headline: string | null };
      cached.push({ id: Number(input.key), summary, headline });
      continue;
    }
    keys.set(input.key, key);
    inputs.push(input);
  }
  const results =
    inputs.length > 0 ? await s.summarizer.summarize(inputs, { language }) : new Map<string, SummaryOutput>();
  const now = s.clock.now();
  // One transaction for the slice's writes (the summaries, and the stories' search entries rewritten).
  await s.sql.write(async () => {
    const written: (SummaryWrite & { id: number })[] = [];
    for (const c of cached) {
      written.push({
        id: c.id,
        summary: c.summary,
        headline: c.headline,
        source: 'model',
        reason: 'cached',
        model: s.summarizer.model,
        language,
      });
      report.cached++;
      report.summarized++;
    }
    for (const input of inputs) {
      const r = results.get(input.key);
      if (!r) continue;
      written.push({
        id: Number(input.key),
        summary: r.summary,
        headline: r.headline,
        source: r.source,
        reason: r.reason,
        model: r.model,
        language: r.language,
      });
      if (r.source === 'model')
        await s.usage.cache(
          keys.get(input.key) as string,
          JSON.stringify({ summary: r.summary, headline: r.headline ?? null }),
          r.model ?? '',
          now,
        );
      report[r.source]++;
      report.summarized++;
    }
    await s.stories.setSummaries(written);
  });
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
  for (const input of await storyInputs(s, stories)) {
    const key = cacheKey(s.summarizer.model, language, input);
    const hit = await s.usage.cached(key);
    if (hit) out.set(Number(input.key), (JSON.parse(hit) as { summary: string }).summary);
    else {
      keys.set(input.key, key);
      inputs.push(input);
    }
  }
  const results = await s.summarizer.summarize(inputs, { language });
  for (const [k, r] of results) {
    if (r.source !== 'model') continue;
    out.set(Number(k), r.summary);
    await s.usage.cache(
      keys.get(k) as string,
      JSON.stringify({ summary: r.summary, headline: r.headline ?? null }),
      r.model ?? '',
      s.clock.now(),
    );
  }
  return out;
}
