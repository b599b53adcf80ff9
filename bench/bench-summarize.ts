import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildServices } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import { runIngest } from '../src/ingest/run-ingest.js';
import { createChatModel, createOpenAIClient } from '../src/summarize/chat-model.js';
import { createModelSummarizer } from '../src/summarize/model-summarizer.js';
import { type ChatRequest, completion, startFakeOpenAI, storyIds, usageOf } from '../test/helpers/fake-openai.js';
import { OFFLINE_SOURCES } from '../test/helpers/test-services.js';
import { newsDay } from './fixtures.js';

// Replies of realistic length: a 10-word headline and a 55-word summary per story.
const SUMMARY =
  'The lab released the model on Tuesday with open weights and an API. It improves coding, math and multilingual benchmarks over its predecessor, costs less per token, and was trained on in-house hardware; analysts expect rivals to answer within weeks.';
const reply = (req: ChatRequest) => ({
  json: completion(
    req,
    JSON.stringify({
      summaries: storyIds(req).map((id) => ({
        id,
        headline: 'Lab releases new model with open weights and lower prices',
        summary: SUMMARY,
      })),
    }),
  ),
});

function tokens(requests: ChatRequest[]): number {
  return requests.reduce((n, req) => {
    const content = reply(req).json.choices[0]?.message.content ?? '';
    const u = usageOf(req, content);
    return n + u.prompt_tokens + u.completion_tokens;
  }, 0);
}

/**
 * Model tokens for one poll of a day's news (clustered, batched, summarized once) against a naive
 * pipeline that summarizes every item separately with the same prompt and truncation; and the calls a
 * second poll of unchanged feeds makes.
 */
export async function benchSummarize(dir: string): Promise<Record<string, number>> {
  const day = newsDay();
  const llm = await startFakeOpenAI(reply);
  const byOutlet = new Map<string, typeof day>();
  for (const item of day) byOutlet.set(item.outlet, [...(byOutlet.get(item.outlet) ?? []), item]);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const feeds = createServer((req, res) => {
    const items = byOutlet.get(decodeURIComponent(req.url?.slice(1) ?? '')) ?? [];
    const body = items
      .map(
        (i) =>
          `<item><title>${esc(i.title)}</title><link>${i.link}</link><guid>${i.guid}</guid><pubDate>${i.date}</pubDate><description>${esc(i.text)}</description></item>`,
      )
      .join('');
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"same"' });
    res.end(`<rss version="2.0"><channel><title>x</title>${body}</channel></rss>`);
  });
  await new Promise<void>((r) => feeds.listen(0, '127.0.0.1', r));
  const port = (feeds.address() as AddressInfo).port;
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'summ.sqlite'),
    ALLOW_PRIVATE_FEED_URLS: 'true',
    ...OFFLINE_SOURCES,
    LLM_BASE_URL: llm.baseUrl,
    LLM_MODEL: 'bench-model',
  });
  const s = await buildServices(config, { logger: silentLogger });
  for (const outlet of byOutlet.keys())
    await s.feeds.add(
      { url: `http://127.0.0.1:${port}/${encodeURIComponent(outlet)}`, title: outlet },
      new Date('2026-11-24T20:00:00Z'),
    );
  const first = await runIngest(s, { all: true });
  const ours = tokens(llm.requests);
  const oursCalls = llm.requests.length;
  const second = await runIngest(s, { all: true });
  const secondCalls = llm.requests.length - oursCalls;

  // Naive: one request per item, same instructions and truncation.
  llm.requests.length = 0;
  const chat = createChatModel({
    client: createOpenAIClient({ baseUrl: llm.baseUrl }),
    model: 'bench-model',
    clock: s.clock,
    logger: silentLogger,
    record: async () => {},
    remainingBudget: async () => Number.POSITIVE_INFINITY,
  });
  const naive = createModelSummarizer(chat);
  for (const [i, item] of day.entries()) {
    await naive.summarize(
      [
        {
          key: String(i),
          title: item.title,
          sources: [{ title: item.title, text: item.text, feed: item.outlet, url: item.link, language: 'en' }],
        },
      ],
      { language: 'en' },
    );
  }
  const naiveTokens = tokens(llm.requests);
  await s.close();
  feeds.close();
  await llm.close();
  return {
    items: first.newItems,
    stories: first.newStories,
    modelCalls: oursCalls,
    tokens: ours,
    naiveCalls: llm.requests.length,
    naiveTokens,
    ratioToNaive: ours / naiveTokens,
    secondPollCalls: secondCalls + second.llm.calls * 0,
  };
}
