import type { WebClient } from '@slack/web-api';
import type { Chart } from '../charts/chart-spec.js';

/**
 * Shares a chart PNG into a channel (or a thread) with its alt text, through files.uploadV2:
 * files.getUploadURLExternal, the upload itself, then files.completeUploadExternal.
 * @see https://docs.slack.dev/messaging/working-with-files#uploading_files
 */
export async function uploadChart(
  client: WebClient,
  channel: string,
  chart: Chart,
  options: { threadTs?: string; comment?: string } = {},
): Promise<void> {
  const file = {
    file: chart.png,
    filename: chart.filename,
    title: chart.title,
    alt_text: chart.altText,
    ...(options.comment ? { initial_comment: options.comment } : {}),
  };
  if (options.threadTs) await client.filesUploadV2({ ...file, channel_id: channel, thread_ts: options.threadTs });
  else await client.filesUploadV2({ ...file, channel_id: channel });
}

/** What to tell a user when a chart could not be shared. */
export function uploadFailure(err: unknown): string {
  const code = (err as { data?: { error?: string } }).data?.error;
  if (code === 'not_in_channel' || code === 'channel_not_found')
    return 'The chart could not be posted here: invite the bot to this channel (`/invite @ai-news`) and ask again.';
  if (code === 'missing_scope')
    return 'The chart could not be posted: the app lacks the files:write scope; reinstall it from manifest.yml.';
  return `The chart could not be posted (${code ?? (err as Error).message ?? 'error'}).`;
}
