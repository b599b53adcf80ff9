import type { Services } from '../compose.js';
import { SOURCES } from '../ingest/track-sources.js';
import { ago } from './format.js';

/** The built-in sources' health for `feeds`: configured URL (or off), last success, last error. */
export async function sourcesStatus(s: Services): Promise<{ text: string; json: Record<string, unknown>[] }> {
  const now = s.clock.now();
  const o = s.config.openRouter;
  const list = [
    { name: SOURCES.models, title: 'OpenRouter models', url: o.modelsUrl, needs: null },
    {
      name: SOURCES.rankings,
      title: 'OpenRouter rankings',
      url: o.rankingsUrl,
      needs: o.apiKey ? null : 'OPENROUTER_API_KEY',
    },
  ];
  const json = await Promise.all(
    list.map(async (x) => {
      const st = await s.sources.get(x.name);
      const state = !x.url
        ? 'off'
        : x.needs
          ? 'needs_key'
          : st?.errorCount
            ? 'failing'
            : st?.lastSuccessAt
              ? 'ok'
              : 'new';
      return {
        name: x.name,
        url: x.url,
        state,
        lastSuccessAt: st?.lastSuccessAt ?? null,
        lastError: st?.lastError ?? null,
      };
    }),
  );
  const text = json
    .map((x, i) => {
      const title = list[i]?.title;
      if (x.state === 'off') return `${title}: off`;
      if (x.state === 'needs_key') return `${title}: set OPENROUTER_API_KEY`;
      if (x.state === 'failing') return `${title}: failing: ${x.lastError}`;
      return `${title}: ${x.lastSuccessAt ? `last ok ${ago(x.lastSuccessAt, now)}` : 'not read yet'}`;
    })
    .join(' · ');
  return { text: `Built-in sources: ${text}`, json };
}
