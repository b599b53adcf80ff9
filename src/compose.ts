import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { LABS } from './catalog/labs.js';
import { createEntityMatcher, type EntityMatcher } from './catalog/match-entities.js';
import type { Config } from './config/load-config.js';
import { type Clock, systemClock } from './core/clock.js';
import { createLogger, type Logger } from './core/logger.js';
import { createHttpFetch, type FetchLike } from './feeds/create-http-fetch.js';
import { authorIndex } from './ingest/track-models.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { AssistantThreadRepository } from './store/assistant-thread-repository.js';
import { AuditRepository } from './store/audit-repository.js';
import { ChannelRepository } from './store/channel-repository.js';
import { ClaimRepository } from './store/claim-repository.js';
import { DigestRepository } from './store/digest-repository.js';
import { EntityRepository } from './store/entity-repository.js';
import { FeedRepository } from './store/feed-repository.js';
import { FeedbackRepository } from './store/feedback-repository.js';
import { InstallationRepository } from './store/installation-repository.js';
import { ItemRepository } from './store/item-repository.js';
import { ModelListRepository } from './store/model-list-repository.js';
import { openStore } from './store/open-store.js';
import { RankingRepository } from './store/ranking-repository.js';
import { RateLimitRepository } from './store/rate-limit-repository.js';
import { ReleaseRepository } from './store/release-repository.js';
import { SlackEventRepository } from './store/slack-event-repository.js';
import { SourceStateRepository } from './store/source-state-repository.js';
import type { SqlEngine } from './store/sql.js';
import { StoryRepository } from './store/story-repository.js';
import { UsageRepository } from './store/usage-repository.js';
import { WatchRepository } from './store/watch-repository.js';
import type { ChatModel } from './summarize/chat-model.js';
import { createConfiguredChatModel, createSummarizer, type ModelTuning } from './summarize/create-summarizer.js';
import type { Summarizer } from './summarize/summarizer.js';

/** Everything the use cases need, built once from the config. */
export interface Services {
  config: Config;
  /** The database (SQLite or PostgreSQL) every repository runs its SQL through. */
  sql: SqlEngine;
  feeds: FeedRepository;
  items: ItemRepository;
  audit: AuditRepository;
  stories: StoryRepository;
  entities: EntityRepository;
  releases: ReleaseRepository;
  /** The built-in model list as last read, and its changes. */
  modelList: ModelListRepository;
  /** OpenRouter's daily token rankings. */
  rankings: RankingRepository;
  /** State of the built-in sources. */
  sources: SourceStateRepository;
  channels: ChannelRepository;
  digests: DigestRepository;
  feedback: FeedbackRepository;
  usage: UsageRepository;
  /** Sliding-window limits: `digest now` per channel, questions per user. */
  rateLimits: RateLimitRepository;
  /** Slack event ids already handled (retries are skipped). */
  slackEvents: SlackEventRepository;
  watch: WatchRepository;
  assistantThreads: AssistantThreadRepository;
  /** Claims on shared work, so several processes on one database do each piece once. */
  claims: ClaimRepository;
  /** Slack installations (OAuth distribution), tokens sealed. */
  installations: InstallationRepository;
  matcher: EntityMatcher;
  metrics: Metrics;
  /** The configured model, or null for offline operation. */
  chat: ChatModel | null;
  summarizer: Summarizer;
  fetch: FetchLike;
  clock: Clock;
  logger: Logger;
  close(): Promise<void>;
}

/** Replacements for side effects; tests pass local servers, fake clocks and quiet loggers here. */
export interface Overrides {
  fetch?: FetchLike;
  clock?: Clock;
  logger?: Logger;
  sql?: SqlEngine;
  summarizer?: Summarizer;
  model?: ModelTuning;
  /** Lease of this process's work claims (tests shorten it). @unit milliseconds */
  leaseMs?: number;
}

/** This process's name on the claims it holds: host, pid and a random part, so a restart is a new owner. */
function processOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** Builds the services for main, the CLI and integration tests. Opens and migrates the database. */
export async function buildServices(config: Config, overrides: Overrides = {}): Promise<Services> {
  const logger = overrides.logger ?? createLogger(config.logLevel ?? 'info');
  const db = overrides.sql ?? (await openStore(config));
  if (db.readonly)
    logger.warn('store: DATABASE_PATH is not writable; opened read-only, writes are unavailable', {
      path: config.databasePath,
    });
  const http = overrides.fetch
    ? null
    : createHttpFetch({
        allowPrivate: config.allowPrivateFeedUrls,
        connectTimeoutMs: Math.min(10_000, config.poll.timeoutMs),
      });
  const clock = overrides.clock ?? systemClock;
  const usage = new UsageRepository(db);
  const metrics = createMetrics();
  const chat = createConfiguredChatModel(config, { usage, clock, logger, metrics }, overrides.model);
  return {
    config,
    sql: db,
    feeds: new FeedRepository(db),
    items: new ItemRepository(db),
    audit: new AuditRepository(db),
    stories: new StoryRepository(db),
    entities: new EntityRepository(db),
    releases: new ReleaseRepository(db),
    modelList: new ModelListRepository(db),
    rankings: new RankingRepository(db),
    sources: new SourceStateRepository(db),
    channels: new ChannelRepository(db),
    digests: new DigestRepository(db),
    feedback: new FeedbackRepository(db),
    usage,
    rateLimits: new RateLimitRepository(db),
    slackEvents: new SlackEventRepository(db),
    watch: new WatchRepository(db),
    assistantThreads: new AssistantThreadRepository(db),
    claims: new ClaimRepository(db, processOwner(), overrides.leaseMs ?? config.workLeaseSeconds * 1000),
    installations: new InstallationRepository(db),
    matcher: sharedMatcher(),
    metrics,
    chat,
    summarizer: overrides.summarizer ?? createSummarizer(chat),
    fetch: overrides.fetch ?? (http?.fetch as FetchLike),
    clock,
    logger,
    async close() {
      await http?.close();
      await db.close();
    },
  };
}

let matcher: EntityMatcher | undefined;
/** The catalog matcher, built once per process (its automaton covers every alias). */
function sharedMatcher(): EntityMatcher {
  matcher ??= createEntityMatcher(LABS);
  return matcher;
}

/** OpenRouter author prefix → lab id. */
export const AUTHORS = authorIndex(LABS);

/** The poll settings in the shape `pollFeeds` takes. */
export function pollSettings(config: Config) {
  return { allowPrivate: config.allowPrivateFeedUrls, ...config.poll };
}
