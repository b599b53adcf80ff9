import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The service's Prometheus metrics, in their own registry (tests build as many as they like). */
export function createMetrics(options: { defaults?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaults) collectDefaultMetrics({ register: registry, prefix: 'ai_news_' });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    polls: counter('ai_news_polls_total', 'Ingest cycles run'),
    feedPolls: counter('ai_news_feed_polls_total', 'Feeds polled, by outcome', ['status']),
    newItems: counter('ai_news_items_new_total', 'New items stored'),
    feedErrors: counter('ai_news_feed_errors_total', 'Feed poll failures, by error code', ['code']),
    newStories: counter('ai_news_stories_new_total', 'Stories created'),
    summaries: counter('ai_news_summaries_total', 'Story summaries written, by source', ['source']),
    modelCalls: counter('ai_news_model_calls_total', 'Model calls, by purpose and outcome', ['purpose', 'outcome']),
    modelTokens: counter('ai_news_model_tokens_total', 'Model tokens, by purpose and kind', ['purpose', 'kind']),
    slackPosts: counter('ai_news_slack_posts_total', 'Messages posted to Slack'),
    slackErrors: counter('ai_news_slack_errors_total', 'Slack post failures, by kind', ['kind']),
    digests: counter('ai_news_digests_total', 'Digest deliveries, by outcome', ['outcome']),
    watchPosts: counter('ai_news_watch_posts_total', 'Watch messages delivered, by outcome', ['outcome']),
    mcpRequests: counter('ai_news_mcp_requests_total', 'Requests to /mcp, by outcome', ['outcome']),
    commandSeconds: new Histogram({
      name: 'ai_news_command_duration_seconds',
      help: 'Time to answer a command, by command word and surface',
      labelNames: ['command', 'surface'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
