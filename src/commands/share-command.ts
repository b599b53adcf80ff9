import { renderChart } from '../charts/render-chart.js';
import { shareChartSpec } from '../charts/share-chart-spec.js';
import type { Services } from '../compose.js';
import { AppError } from '../core/errors.js';
import { SOURCES } from '../ingest/track-sources.js';
import { loadUsageShare } from '../share/load-usage-share.js';
import { renderShareText } from '../share/render-share.js';
import { takeChartOption } from './chart-option.js';
import { windowDays } from './trends-command.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** Why there is no share to show, and what to do about it. */
export async function noShareMessage(s: Services, days: number): Promise<string> {
  const o = s.config.openRouter;
  if (!o.rankingsUrl)
    return 'Usage share is off: OPENROUTER_RANKINGS_URL is set to `off`. Unset it (or set OpenRouter’s rankings URL) and run `poll`.';
  if (!o.apiKey)
    return [
      'Usage share comes from OpenRouter’s daily rankings, which need an API key (any valid key; reading the rankings costs nothing).',
      'Create one at https://openrouter.ai/settings/keys, set OPENROUTER_API_KEY in the environment or .env, and run `poll`:',
      'the first fetch stores the last 60 days, then one fetch a UTC day keeps them current.',
    ].join('\n');
  const state = await s.sources.get(SOURCES.rankings);
  return `No rankings stored for the last ${days} full UTC days yet; \`poll\` fetches them once a UTC day.${
    state?.lastError ? ` The last attempt failed: ${state.lastError}` : ''
  }`;
}

/** `share [7d|30d] [chart]`: token share by origin and openness (OpenRouter rankings) against the window before. */
export async function shareCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const s = ctx.services;
  const chart = takeChartOption(p);
  const days = windowDays({ ...p, args: chart.args }, [7, 14, 30, 90]);
  const share = await loadUsageShare(s, days);
  if (!share) throw new AppError('not_found', await noShareMessage(s, days));
  const text = renderShareText(share, days);
  return {
    text: ctx.surface === 'slack' ? `\`\`\`${text}\`\`\`` : text,
    json: share,
    ...(chart.wanted ? { chart: await renderChart(shareChartSpec(share, days), `share-${days}d.png`) } : {}),
  };
}
