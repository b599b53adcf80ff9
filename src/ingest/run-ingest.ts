import { pollSettings, type Services } from '../compose.js';
import { type PollReport, pollFeeds } from './poll-feeds.js';

/** One ingest cycle: poll due feeds and store their new items. */
export async function runIngest(s: Services, options: { all?: boolean } = {}): Promise<PollReport> {
  return pollFeeds(
    {
      feeds: s.feeds,
      items: s.items,
      fetch: s.fetch,
      clock: s.clock,
      logger: s.logger,
      settings: pollSettings(s.config),
    },
    options,
  );
}
