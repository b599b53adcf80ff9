import { afterEach, describe, expect, it } from 'vitest';
import { suggestQuestions } from '../../src/ask/suggest-questions.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { rss, testServices } from '../helpers/test-services.js';

let t: Awaited<ReturnType<typeof testServices>>;
let server: LocalServer | undefined;
afterEach(async () => {
  await t.close();
  await server?.close();
  server = undefined;
});

describe('suggested questions', () => {
  it('offers three general questions for an empty archive', async () => {
    t = await testServices();
    expect(await suggestQuestions(t.services, 'en')).toEqual([
      { title: 'OpenAI this week', message: 'What did OpenAI ship this week?' },
      { title: 'DeepSeek this week', message: 'What did DeepSeek ship this week?' },
      { title: 'Open vs closed this month', message: 'Open vs closed models: what shipped this month?' },
    ]);
  });

  it('draws on the labs covered this week, in the language asked for, at most four', async () => {
    t = await testServices();
    server = await startServer({
      '/feed': serve(
        rss([
          { title: 'Zhipu ships GLM-5.2 with open weights', guid: 'z', link: 'https://n.example/z' },
          { title: 'Mistral AI ships Mistral Large 3', guid: 'm', link: 'https://n.example/m' },
        ]),
      ),
    });
    await t.services.feeds.add({ url: server.url('/feed') }, t.clock.now());
    await runIngest(t.services);
    t.clock.advance(60_000);
    const es = await suggestQuestions(t.services, 'es');
    expect(es.length).toBeLessThanOrEqual(4);
    expect(es.map((q) => q.title)).toEqual(
      expect.arrayContaining([
        'Laboratorios chinos esta semana',
        'Abiertos vs cerrados este mes',
        expect.stringMatching(/^(Zhipu|Mistral)/),
      ]),
    );
    expect(es.find((q) => /^Zhipu/.test(q.title))?.message).toMatch(/^¿Qué lanzó Zhipu/);
  });
});
