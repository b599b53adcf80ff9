import { writeFile } from 'node:fs/promises';
import { AppError } from '../core/errors.js';
import { exportOpml } from '../feeds/opml.js';
import { addFeed } from '../ingest/add-feed.js';
import { importOpml, readOpmlSource } from '../ingest/import-opml.js';
import { processNewItems } from '../ingest/run-ingest.js';
import type { FeedHealth } from '../store/feed-repository.js';
import { storageProblem } from '../store/storage-problem.js';
import { teamOf } from './command-team.js';
import { ago, truncate } from './format.js';
import { audit, requireAdmin } from './require-admin.js';
import { sourcesStatus } from './sources-status.js';
import type { CommandContext, ParsedArgs, Reply } from './types.js';

const STALE_MS = 30 * 86_400_000;

/** A feed's health in one word: ok, failing, paused, stale or new. */
export function feedState(f: FeedHealth, now: Date): 'ok' | 'failing' | 'paused' | 'stale' | 'new' {
  if (f.pausedAt) return 'paused';
  if (f.errorCount > 0) return 'failing';
  if (!f.lastSuccessAt) return 'new';
  if (f.newestItemAt && now.getTime() - Date.parse(f.newestItemAt) > STALE_MS) return 'stale';
  return 'ok';
}

/** `feeds [list|add|remove|resume|import|export]`. */
export async function feedsCommand(ctx: CommandContext, p: ParsedArgs): Promise<Reply> {
  const [sub = 'list', ...rest] = p.args;
  switch (sub.toLowerCase()) {
    case 'list':
      return listFeeds(ctx);
    case 'add':
      return add(ctx, rest);
    case 'remove':
    case 'rm':
    case 'delete':
      return remove(ctx, rest);
    case 'resume':
      return resume(ctx, rest);
    case 'import':
      return importCmd(ctx, rest);
    case 'export':
      return exportCmd(ctx, rest);
    default:
      throw new AppError(
        'usage',
        `Unknown feeds command "${sub}". Try: feeds, feeds add <url> [name], feeds remove <id|url>, feeds import <url>, feeds export`,
      );
  }
}

async function listFeeds(ctx: CommandContext): Promise<Reply> {
  const now = ctx.services.clock.now();
  const rank = { paused: 0, failing: 1, stale: 2, new: 3, ok: 4 };
  const feeds = (await ctx.services.feeds.health(now, teamOf(ctx))).map((f) => ({ ...f, state: feedState(f, now) }));
  feeds.sort((a, b) => rank[a.state] - rank[b.state] || a.id - b.id);
  const lines = feeds.map((f) => {
    const name = truncate(f.title ?? f.url, 48);
    const health =
      f.state === 'ok' || f.state === 'new'
        ? `last ok ${ago(f.lastSuccessAt, now)}`
        : `${f.state}${f.errorCount ? ` ×${f.errorCount}` : ''}: ${truncate(f.lastError ?? 'newest item is over 30 days old', 120)}`;
    return `#${f.id} ${name} — ${f.itemsLastWeek} items/wk — ${health}`;
  });
  const counts = Object.entries(
    feeds.reduce<Record<string, number>>((acc, f) => {
      acc[f.state] = (acc[f.state] ?? 0) + 1;
      return acc;
    }, {}),
  )
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const sources = await sourcesStatus(ctx.services);
  return {
    text: `${
      feeds.length === 0
        ? 'No feeds yet. Add one with `feeds add <url>`.'
        : `${feeds.length} feeds (${counts})\n${lines.join('\n')}`
    }\n${sources.text}`,
    json: {
      sources: sources.json,
      feeds: feeds.map((f) => ({
        id: f.id,
        url: f.url,
        title: f.title,
        state: f.state,
        tags: f.tags,
        lastSuccessAt: f.lastSuccessAt,
        lastError: f.lastError,
        lastErrorCode: f.lastErrorCode,
        errorCount: f.errorCount,
        pausedAt: f.pausedAt,
        itemCount: f.itemCount,
        itemsLastWeek: f.itemsLastWeek,
        newestItemAt: f.newestItemAt,
      })),
    },
  };
}

async function add(ctx: CommandContext, rest: string[]): Promise<Reply> {
  const [url, ...name] = rest;
  if (!url) throw new AppError('usage', 'Usage: feeds add <url> [name]');
  await requireAdmin(ctx, 'add feeds');
  const r = await addFeed(ctx.services, url, name.join(' ') || undefined, teamOf(ctx));
  // Its entries become stories now, not at the next poll (or then, when the disk is full right now:
  // the feed and its items are stored, and unclustered items are picked up by the next cycle).
  let later = '';
  if (r.newItemIds.length > 0)
    await processNewItems(ctx.services).catch((err: unknown) => {
      const storage = storageProblem(err);
      if (!storage) throw err;
      later = ` Stories will be made at the next poll: ${storage.message}`;
    });
  if (!r.created)
    return {
      text: `Already subscribed: #${r.feed.id} ${r.feed.title ?? r.feed.url}`,
      json: { feed: r.feed, created: false },
    };
  await audit(ctx, 'feeds.add', { id: r.feed.id, url: r.feed.url });
  return {
    text: `Added #${r.feed.id} ${r.feed.title ?? r.feed.url}: ${r.itemsFound} entries found, ${r.newItemIds.length} stored.${later}`,
    json: { feed: r.feed, created: true, itemsFound: r.itemsFound, newItems: r.newItemIds.length },
  };
}

async function findFeed(ctx: CommandContext, ref: string | undefined) {
  if (!ref) throw new AppError('usage', 'Give the feed id (from `feeds`) or its URL');
  const s = ctx.services;
  const id = /^#?\d+$/.test(ref) ? Number(ref.replace('#', '')) : undefined;
  const team = teamOf(ctx);
  // Only the team's own subscriptions: another team's feed is "no feed" here, as if it did not exist.
  const feed =
    id !== undefined
      ? await s.feeds.subscribed(id, team)
      : ((await s.feeds.subscribedByUrl(ref.replace(/^<|>$/g, ''), team)) ??
        (await s.feeds.subscribedByUrl(safeUrl(ref), team)));
  // The built-in sources' own row is not a subscription: it is configured by environment (OPENROUTER_*).
  if (!feed || feed.kind === 'builtin')
    throw new AppError('not_found', `No feed ${ref}. \`feeds\` lists them with their ids.`);
  return feed;
}

function safeUrl(s: string): string {
  try {
    return new URL(s.replace(/^<|>$/g, '')).toString();
  } catch {
    return s;
  }
}

async function remove(ctx: CommandContext, rest: string[]): Promise<Reply> {
  await requireAdmin(ctx, 'remove feeds');
  const feed = await findFeed(ctx, rest[0]);
  // Unsubscribes this team; the feed is still fetched for other teams, and no longer at all when none is left.
  await ctx.services.feeds.remove(feed.id, teamOf(ctx));
  await audit(ctx, 'feeds.remove', { id: feed.id, url: feed.url });
  return { text: `Removed #${feed.id} ${feed.title ?? feed.url}.`, json: { removed: { id: feed.id, url: feed.url } } };
}

async function resume(ctx: CommandContext, rest: string[]): Promise<Reply> {
  await requireAdmin(ctx, 'resume feeds');
  const feed = await findFeed(ctx, rest[0]);
  await ctx.services.feeds.resume(feed.id, ctx.services.clock.now());
  await audit(ctx, 'feeds.resume', { id: feed.id, url: feed.url });
  return {
    text: `Resumed #${feed.id} ${feed.title ?? feed.url}; it will be polled on the next cycle.`,
    json: { resumed: feed.id },
  };
}

async function importCmd(ctx: CommandContext, rest: string[]): Promise<Reply> {
  const source = rest.join(' ');
  if (!source) throw new AppError('usage', 'Usage: feeds import <opml url or file>');
  await requireAdmin(ctx, 'import feeds');
  const xml = await readOpmlSource(ctx.services, source, ctx.surface === 'cli');
  const r = await importOpml(ctx.services, xml, teamOf(ctx));
  await audit(ctx, 'feeds.import', { added: r.added.length, source: source.startsWith('<') ? '(pasted)' : source });
  const parts = [`Imported ${r.added.length} feeds.`];
  if (r.alreadySubscribed.length) parts.push(`${r.alreadySubscribed.length} already subscribed.`);
  if (r.duplicatesInFile.length) parts.push(`${r.duplicatesInFile.length} duplicates in the file skipped.`);
  if (r.invalid.length) parts.push(`${r.invalid.length} invalid URLs skipped: ${r.invalid.slice(0, 5).join(', ')}`);
  return { text: parts.join(' '), json: r };
}

async function exportCmd(ctx: CommandContext, rest: string[]): Promise<Reply> {
  const feeds = (await ctx.services.feeds.list(teamOf(ctx))).map((f) => ({
    url: f.url,
    title: f.title,
    siteUrl: f.siteUrl,
    tags: f.tags,
  }));
  const xml = exportOpml(feeds, 'ai-news subscriptions', ctx.services.clock.now());
  const file = rest[0];
  if (file && ctx.surface === 'cli') {
    await writeFile(file, xml);
    return { text: `Wrote ${feeds.length} feeds to ${file}.`, json: { file, feeds: feeds.length } };
  }
  return { text: xml, json: { opml: xml, feeds: feeds.length } };
}
