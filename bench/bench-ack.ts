import { join } from 'node:path';
import { buildServices } from '../src/compose.js';
import { loadConfig } from '../src/config/load-config.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { createSlackApp } from '../src/slack/create-slack-app.js';
import { startFakeSlack } from '../test/helpers/fake-slack.js';
import { commandBody, SIGNING_SECRET, signedPost } from '../test/helpers/signed-request.js';
import { syntheticItems } from './fixtures.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Ack latency of signed /ai-news search requests, 20 at a time, against the real Bolt app on loopback. */
export async function benchAck(dir: string): Promise<Record<string, number>> {
  const slack = await startFakeSlack();
  const s = await buildServices(loadConfig({ DATABASE_PATH: join(dir, 'ack.sqlite') }), { logger: silentLogger });
  const now = systemClock.now();
  const { feed } = await s.feeds.add({ url: 'https://bench.example/ack' }, now);
  await s.items.insertMany(
    feed.id,
    syntheticItems(5000, 9).map((i, n) => ({
      guid: i.guid,
      url: null,
      canonicalUrl: null,
      title: i.title,
      text: i.html.replace(/<[^>]+>/g, ' '),
      author: null,
      language: 'en',
      publishedAt: now.toISOString(),
      dateSource: 'feed' as const,
      contentHash: `h${n}`,
    })),
    now,
  );
  const app = await createSlackApp(s, { token: 'xoxb-bench', signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl });
  const port = await app.start(0);
  const url = `http://127.0.0.1:${port}/slack/events`;
  const queries = [
    'deepseek',
    'qwen open weights',
    'kimi',
    'glm',
    'mistral large',
    'gemini reasoning',
    'claude',
    'llama',
  ];
  const send = (i: number) =>
    signedPost(
      url,
      commandBody(`search ${queries[i % queries.length]}`, { responseUrl: `${slack.apiUrl}response.hook` }),
      'application/x-www-form-urlencoded',
    );
  await Promise.all(Array.from({ length: 20 }, (_, i) => send(i))); // warm-up round
  const latencies: number[] = [];
  let failures = 0;
  for (let round = 0; round < 10; round++) {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i + round)));
    for (const r of results) {
      latencies.push(r.ms);
      if (r.status !== 200) failures++;
    }
  }
  latencies.sort((a, b) => a - b);
  await app.stop();
  await s.close();
  await slack.close();
  return {
    requests: latencies.length,
    concurrency: 20,
    failures,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] as number,
  };
}
