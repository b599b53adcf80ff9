import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run-ingest.js';
import type { Report } from '../helpers/ask-quality.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

/**
 * A day of AI news written for this test: 38 reports of 17 events from several outlets, in English,
 * Spanish and Chinese, with near misses (two Qwen releases in one week, two Claude releases, Gemma and
 * Gemini on the same day, funding news that names DeepSeek) and a re-post of one URL by an aggregator.
 */
const REPORTS = JSON.parse(readFileSync(new URL('../fixtures/stories-day.json', import.meta.url), 'utf8')) as Report[];

let server: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;
const storyOfUrl = new Map<string, number>();

beforeAll(async () => {
  server = await startServer();
  t = await testServices();
  t.clock.set('2026-04-23T12:00:00Z');
  const feeds = [...new Set(REPORTS.map((r) => r.feed))];
  for (const feed of feeds) {
    const items = REPORTS.filter((r) => r.feed === feed).map((r) => ({
      title: r.title,
      link: r.url,
      guid: r.url,
      date: r.date,
      description: r.text,
    }));
    server.route(`/${feed}`, serve(rss(items, feed)));
    await t.services.feeds.add({ url: server.url(`/${feed}`), title: feed }, t.clock.now());
  }
  await runIngest(t.services);
  const rows = (await t.services.sql.all(
    'SELECT i.url, si.story_id FROM items i JOIN story_items si ON si.item_id = i.id',
  )) as { url: string; story_id: number }[];
  for (const r of rows) storyOfUrl.set(r.url, r.story_id);
});
afterAll(async () => {
  await t.close();
  await server.close();
});

function pairwise() {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const wrong: string[] = [];
  for (let i = 0; i < REPORTS.length; i++) {
    for (let j = i + 1; j < REPORTS.length; j++) {
      const a = REPORTS[i] as Report;
      const b = REPORTS[j] as Report;
      const same = a.event === b.event;
      const together = storyOfUrl.get(a.url) === storyOfUrl.get(b.url);
      if (same && together) tp++;
      else if (together) {
        fp++;
        wrong.push(`merged: ${a.title} + ${b.title}`);
      } else if (same) {
        fn++;
        wrong.push(`split: ${a.title} / ${b.title}`);
      }
    }
  }
  return { precision: tp / (tp + fp || 1), recall: tp / (tp + fn || 1), wrong };
}

describe('clustering a day of reports into stories', () => {
  it('every report is in exactly one story', () => {
    expect(storyOfUrl.size).toBe(REPORTS.length);
  });

  it('finds about one story per event, with high pairwise precision and recall', () => {
    const { precision, recall, wrong } = pairwise();
    const events = new Set(REPORTS.map((r) => r.event)).size;
    const stories = new Set(storyOfUrl.values()).size;
    console.log(
      `clustering: ${REPORTS.length} reports, ${events} events → ${stories} stories; pairwise precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    );
    if (wrong.length) console.log(wrong.slice(0, 10).join('\n'));
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(stories - events)).toBeLessThanOrEqual(2);
  });

  it('keeps near misses apart: two Qwen releases, two Claude releases, Gemma vs Gemini, funding news vs a release', () => {
    const story = (url: string) => storyOfUrl.get(url);
    expect(story('https://techcrunch.example/2026/02/16/qwen35')).not.toBe(
      story('https://techcrunch.example/2026/02/17/qwen36-plus'),
    );
    expect(story('https://verge.example/ai/claude-opus-4-7')).not.toBe(
      story('https://techcrunch.example/2026/06/claude-sonnet-5'),
    );
    expect(story('https://decoder.example/gemma-4')).not.toBe(story('https://verge.example/ai/gemini-3-1-pro'));
    expect(story('https://techcrunch.example/2026/04/chip-startup-raises')).not.toBe(
      story('https://techcrunch.example/2026/04/24/deepseek-v4'),
    );
  });

  it('joins Spanish and Chinese reports to the English story about the same release', () => {
    const ds = storyOfUrl.get('https://techcrunch.example/2026/04/24/deepseek-v4');
    expect(storyOfUrl.get('https://xataka.example/ia/deepseek-v4')).toBe(ds);
    expect(storyOfUrl.get('https://qbitai.example/2026/04/deepseek-v4')).toBe(ds);
    expect(storyOfUrl.get('https://qbitai.example/2026/04/kimi-k26')).toBe(
      storyOfUrl.get('https://decoder.example/kimi-k2-6'),
    );
  });

  it('joins a re-post of the same URL to its story', async () => {
    expect(storyOfUrl.get('https://techcrunch.example/2026/04/gpt-5-5?utm_source=techmeme&utm_medium=rss')).toBe(
      storyOfUrl.get('https://techcrunch.example/2026/04/gpt-5-5'),
    );
    const reason = (await t.services.sql.get(
      "SELECT si.reason FROM items i JOIN story_items si ON si.item_id = i.id WHERE i.url LIKE '%utm_source=techmeme%'",
    )) as { reason: string };
    expect(reason.reason).toBe('url');
  });

  it('never moves an item once placed: a second cycle changes no assignment', async () => {
    const before = await t.services.sql.all('SELECT item_id, story_id FROM story_items ORDER BY item_id');
    t.clock.advance(3600_000);
    await runIngest(t.services, { all: true });
    expect(await t.services.sql.all('SELECT item_id, story_id FROM story_items ORDER BY item_id')).toEqual(before);
  });

  it('tags stories with labs, versions, origin and openness', async () => {
    const ds = storyOfUrl.get('https://techcrunch.example/2026/04/24/deepseek-v4') as number;
    const tags = (await t.services.entities.tagsOf(ds)).map((x) => `${x.kind}:${x.key}`);
    expect(tags).toEqual(
      expect.arrayContaining(['lab:deepseek', 'version:deepseek@v4', 'origin:CN', 'openness:open-source']),
    );
    const story = await t.services.stories.get(ds);
    expect(story?.sourceCount).toBe(5);
  });
});
