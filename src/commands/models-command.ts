import { modelsChartSpec } from '../charts/models-chart-spec.js';
import { renderChart } from '../charts/render-chart.js';
import type { ModelRelease } from '../store/release-repository.js';
import { takeChartOption } from './chart-option.js';
import { changesInWindow, modelChangesCommand } from './model-changes-command.js';
import { windowDays } from './trends-command.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

const ORIGIN_NAMES: Record<string, string> = {
  US: 'United States',
  CN: 'China',
  EU: 'Europe',
  other: 'Other',
  unknown: 'Unknown origin',
};
const ORDER = ['CN', 'US', 'EU', 'other', 'unknown'];

function perMillion(n: number | null): string {
  if (n === null) return '?';
  return n === 0 ? 'free' : `$${n.toFixed(2)}`;
}

function countByKind(kinds: string[]): { kind: string; count: number }[] {
  const order = ['new', 'removed', 'price', 'context', 'deprecation', 'openness'];
  return order.map((kind) => ({ kind, count: kinds.filter((k) => k === kind).length })).filter((x) => x.count > 0);
}

/** One line per release: name, lab, context, prices, link. */
export function releaseLine(r: ModelRelease, labName: string | null): string {
  const ctxLen = r.contextLength
    ? `${r.contextLength >= 1000 ? `${Math.round(r.contextLength / 1000)}k` : r.contextLength} ctx`
    : null;
  const price =
    r.promptPrice !== null || r.completionPrice !== null
      ? `${perMillion(r.promptPrice)}/${perMillion(r.completionPrice)} per M tokens`
      : null;
  return [r.name, labName, ctxLen, price, r.url].filter(Boolean).join(' — ');
}

/** `models [7d|30d] [chart]`: model releases seen in the window, grouped by origin and openness; `models changes`. */
export async function modelsCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  if (p.args[0]?.toLowerCase() === 'changes') return modelChangesCommand(ctx, { ...p, args: p.args.slice(1) });
  const s = ctx.services;
  const chart = takeChartOption(p);
  const days = windowDays({ ...p, args: chart.args });
  const now = s.clock.now();
  const releases = await s.releases.between(new Date(now.getTime() - days * 86_400_000), new Date(now.getTime() + 1));
  const groups = new Map<string, ModelRelease[]>();
  for (const r of releases) {
    const key = `${r.origin ?? 'unknown'}|${r.openness ?? 'closed'}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const ordered = [...groups.entries()].sort(
    ([a], [b]) =>
      ORDER.indexOf(a.split('|')[0] as string) - ORDER.indexOf(b.split('|')[0] as string) || a.localeCompare(b),
  );
  const labName = (r: ModelRelease) => (r.labId ? (s.matcher.lab(r.labId)?.name ?? r.labId) : null);
  const head = `${releases.length} model release${releases.length === 1 ? '' : 's'} tracked in the last ${days} days (new listings in model catalogues such as OpenRouter; a listing date, not always the launch date).`;
  const body = ordered.flatMap(([key, list]) => {
    const [origin, openness] = key.split('|') as [string, string];
    return [
      `${ORIGIN_NAMES[origin] ?? origin} · ${openness} (${list.length})`,
      ...list.map((r) => `  • ${releaseLine(r, labName(r))}`),
    ];
  });
  const rendered = chart.wanted
    ? await renderChart(
        modelsChartSpec(
          days,
          ordered.map(([key, list]) => {
            const [origin, openness] = key.split('|') as [string, string];
            return { label: `${ORIGIN_NAMES[origin] ?? origin} · ${openness}`, count: list.length };
          }),
          countByKind((await changesInWindow(ctx, days)).map((c) => c.kind)),
        ),
        `models-${days}d.png`,
      )
    : undefined;
  return {
    ...(rendered ? { chart: rendered } : {}),
    text: releases.length === 0 ? `No new model releases in the last ${days} days.` : [head, ...body].join('\n'),
    json: {
      days,
      releases: releases.map((r) => ({ ...r, lab: labName(r) })),
      groups: ordered.map(([key, list]) => ({
        origin: key.split('|')[0],
        openness: key.split('|')[1],
        count: list.length,
        models: list.map((r) => r.modelId),
      })),
    },
  };
}
