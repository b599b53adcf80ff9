import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeDigest } from '../../src/digest/compose-digest.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

/** A 4,500-character Spanish wire story written for this test: DeepSeek up top, nine other labs further down. */
const ARTICLE = readFileSync(new URL('../fixtures/long-article-es.txt', import.meta.url), 'utf8');

let server: LocalServer;
let t: Awaited<ReturnType<typeof testServices>>;

beforeEach(async () => {
  server = await startServer();
  t = await testServices({ DIGEST_LANGUAGE: 'es' });
  t.clock.set('2026-11-30T09:00:00Z');
});
afterEach(async () => {
  await t.close();
  await server.close();
});

describe('tagging whole reports', () => {
  it('tags every lab a long article names: what it is about, and what it only mentions', async () => {
    expect(ARTICLE.length).toBeGreaterThanOrEqual(4000);
    const paragraphs = ARTICLE.split('\n\n').map((p) => `<p>${p}</p>`);
    server.route(
      '/feed',
      serve(
        rss([
          {
            title: 'DeepSeek publica un nuevo modelo con pesos abiertos',
            link: 'https://agencia.example/deepseek',
            guid: 'ds',
            date: 'Mon, 30 Nov 2026 07:00:00 GMT',
            description: paragraphs.join(''),
          },
        ]),
      ),
    );
    await t.services.feeds.add({ url: server.url('/feed'), title: 'Agencia' }, t.clock.now());
    await runIngest(t.services);
    const [story] = await t.services.stories.listSince(new Date(0));
    expect(story).toBeDefined();
    const all = (await t.services.entities.allTagsOf(story?.id ?? 0)).filter((x) => x.kind === 'lab');
    const about = all.filter((x) => x.role === 'about').map((x) => x.key);
    const mentions = all.filter((x) => x.role === 'mention').map((x) => x.key);
    expect(about).toEqual(['deepseek']);
    expect(mentions.sort()).toEqual(
      ['alibaba', 'anthropic', 'google', 'meta', 'minimax', 'mistral', 'moonshot', 'openai', 'zhipu'].sort(),
    );
    // Labels, filters and trends read what it is about; search finds it by any lab it names.
    const digest = await composeDigest(t.services, {
      from: new Date('2026-11-29T09:00:00Z'),
      to: new Date(t.clock.now().getTime() + 60_000),
      language: 'es',
    });
    expect(digest.stories[0]?.labs).toEqual(['DeepSeek']);
    const filtered = await composeDigest(t.services, {
      from: new Date('2026-11-29T09:00:00Z'),
      to: new Date(t.clock.now().getTime() + 60_000),
      language: 'es',
      topics: 'lab:mistral',
    });
    expect(filtered.stories).toEqual([]);
    const origins = (await t.services.entities.tagsOf(story?.id ?? 0)).filter((x) => x.kind === 'origin');
    expect(origins.map((x) => x.key)).toEqual(['CN']);
  });
});
