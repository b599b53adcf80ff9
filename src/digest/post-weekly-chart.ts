import { renderChart } from '../charts/render-chart.js';
import { shareChartSpec } from '../charts/share-chart-spec.js';
import { trendsChartSpec } from '../charts/trends-chart-spec.js';
import type { Services } from '../compose.js';
import { errorMessage } from '../core/errors.js';
import { DEFAULT_TEAM } from '../core/team.js';
import { loadUsageShare } from '../share/load-usage-share.js';
import { computeTrends } from '../trends/compute-trends.js';
import type { DigestSink } from './digest-sink.js';

/** A week, less a little slack so a digest at the same time each week qualifies. @unit milliseconds */
const WEEK_MS = 6.5 * 86_400_000;

/**
 * Posts the chart of the week into a digest's thread when the channel asked for it (`settings chart
 * weekly`) and has had none for a week: token share when rankings are stored, else coverage trends.
 * Recorded before it is sent, so a crash never posts it twice. Returns whether a chart was sent.
 */
export async function postWeeklyChart(
  s: Services,
  sink: DigestSink,
  channelId: string,
  threadTs: string,
  team: string = DEFAULT_TEAM,
): Promise<boolean> {
  const channel = await s.channels.get(channelId, team);
  const now = s.clock.now();
  if (!sink.uploadChart || !channel?.weeklyChart) return false;
  if (channel.chartPostedAt && now.getTime() - Date.parse(channel.chartPostedAt) < WEEK_MS) return false;
  const share = await loadUsageShare(s, 7);
  const chart = share
    ? await renderChart(shareChartSpec(share, 7), 'share-7d.png')
    : await renderChart(
        trendsChartSpec(
          await computeTrends(s.entities, now, 7, async (f, t) => await s.stories.publishedBetween(f, t, team)),
        ),
        'trends-7d.png',
      );
  await s.channels.markChartPosted(channelId, now, team);
  try {
    await sink.uploadChart(channelId, chart, { threadTs });
    return true;
  } catch (err) {
    s.logger.warn('digest: weekly chart not posted', { channel: channelId, error: errorMessage(err) });
    return false;
  }
}
