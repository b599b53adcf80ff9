import type { IngestReport } from '../ingest/run-ingest.js';
import { runIngest } from '../ingest/run-ingest.js';
import { runWatches, type WatchReport } from '../watch/run-watches.js';
import { truncate } from './format.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

/** One line per feed: what the poll stored or why it could not. */
export function formatPollReport(r: IngestReport): string {
  // Feeds the database could not store are not the feeds' failures: one line for all of them.
  const lines = r.feeds
    .filter((f) => f.status !== 'skipped')
    .map((f) => {
      const name = truncate(f.title ?? f.url, 60);
      if (f.status === 'ok') return `✓ ${name}: ${f.newItems} new`;
      if (f.status === 'not_modified') return `· ${name}: unchanged`;
      return `✗ ${name}: ${f.status === 'paused' ? 'PAUSED — ' : ''}${f.error ?? 'error'}`;
    });
  for (const src of r.sources) {
    const changes = src.changeIds.length ? `, ${src.changeIds.length} model-list changes` : '';
    if (src.status === 'ok')
      lines.push(
        src.days ? `✓ ${src.title}: ${src.days.length} days stored` : `✓ ${src.title}: ${src.newItems} new${changes}`,
      );
    else if (src.status === 'not_modified') lines.push(`· ${src.title}: unchanged`);
    else if (src.status === 'skipped') lines.push(`· ${src.title}: skipped (${src.error})`);
    else lines.push(`✗ ${src.title}: ${src.error ?? 'error'}`);
  }
  const skipped = r.feeds.filter((f) => f.status === 'skipped').length;
  if (r.storage)
    lines.push(
      `✗ ${r.storage.error}${skipped ? ` ${skipped} feed${skipped === 1 ? '' : 's'} not stored this time; their health is unchanged.` : ''}`,
    );
  const failed = r.feeds.filter((f) => f.status === 'error' || f.status === 'paused').length;
  const elsewhere = r.polledElsewhere ? `; ${r.polledElsewhere} left to another process polling at the same time` : '';
  lines.push(
    `${r.feeds.length} feeds polled, ${r.newItems} new items${failed ? `, ${failed} failing` : ''}${elsewhere}.`,
  );
  const sm = r.summaries;
  const how = [
    sm.model && `${sm.model} by model`,
    sm.cached && `${sm.cached} cached`,
    sm.offline && `${sm.offline} offline`,
    sm.fallback && `${sm.fallback} offline after a model failure`,
  ].filter(Boolean);
  lines.push(
    `${r.newStories} new stories, ${r.updatedStories} with new sources; ${sm.summarized} summarized${how.length ? ` (${how.join(', ')})` : ''}.`,
  );
  if (r.llm.calls > 0)
    lines.push(
      `Model: ${r.llm.calls} calls, ${r.llm.promptTokens + r.llm.completionTokens} tokens${r.llm.failed ? `, ${r.llm.failed} failed` : ''}.`,
    );
  return lines.join('\n');
}

/** One line on what the watch step posted after a poll. */
export function formatWatchReport(w: WatchReport): string {
  const parts = [
    `${w.announced} stor${w.announced === 1 ? 'y' : 'ies'} announced`,
    w.changes && `${w.changes} model change${w.changes === 1 ? '' : 's'}`,
    w.folded && `${w.folded} folded overflow message${w.folded === 1 ? '' : 's'}`,
    `${w.updates} threaded update${w.updates === 1 ? '' : 's'}`,
    w.deferred && `${w.deferred} waiting for the hourly cap`,
    w.failed && `${w.failed} failed`,
  ].filter(Boolean);
  return `Watch: ${parts.join(', ')}.`;
}

/** `poll [--all]`: one ingest cycle (CLI), then the watch step when Slack is configured. */
export async function pollCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const report = await runIngest(ctx.services, { all: p.flags.all === true });
  // The watch step claims in the database before posting: a database refusing writes skips it.
  const watch =
    ctx.watchSink && !report.storage
      ? await runWatches(ctx.services, ctx.watchSink, { served: ctx.watchServed, sinkFor: ctx.watchSinkFor })
      : undefined;
  return {
    // Feed failures are reported, not fatal; a database that refused writes is the operator's to fix.
    ...(report.storage ? { exitCode: 1 } : {}),
    text: watch ? `${formatPollReport(report)}\n${formatWatchReport(watch)}` : formatPollReport(report),
    json: {
      feeds: report.feeds.map(({ newItemIds: _ids, ...f }) => f),
      sources: report.sources.map(({ newItemIds: _ids, changeIds, ...src }) => ({ ...src, changes: changeIds.length })),
      newItems: report.newItems,
      ...(report.storage ? { storage: report.storage } : {}),
      polledElsewhere: report.polledElsewhere,
      newStories: report.newStories,
      updatedStories: report.updatedStories,
      summaries: report.summaries,
      llm: report.llm,
      ...(watch ? { watch } : {}),
    },
  };
}
