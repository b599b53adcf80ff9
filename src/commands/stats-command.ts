import { statSync } from 'node:fs';
import type { CommandContext, Reply } from './types.js';

/** `stats`: database size and row counts. */
export async function statsCommand(ctx: CommandContext): Promise<Reply> {
  const { db, config } = ctx.services;
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const tables = [
    'feeds',
    'items',
    'stories',
    'story_items',
    'entities',
    'model_releases',
    'channels',
    'digests',
    'feedback',
    'llm_usage',
    'summary_cache',
    'audit_log',
  ];
  const counts = Object.fromEntries(tables.map((t) => [t, count(t)]));
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += statSync(config.databasePath + suffix).size;
    } catch {}
  }
  const schema = db.pragma('user_version', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const free = (db.pragma('freelist_count', { simple: true }) as number) * pageSize;
  const oldest = (db.prepare('SELECT min(published_at) AS t FROM items').get() as { t: string | null }).t;
  const text = [
    `Database ${config.databasePath}: ${(bytes / 1024 / 1024).toFixed(1)} MB (${(free / 1024 / 1024).toFixed(1)} MB free inside), schema v${schema}`,
    `Retention: ${config.retentionDays} days; oldest item ${oldest?.slice(0, 10) ?? 'none'}`,
    ...(db.readonly
      ? ['Read-only: DATABASE_PATH is not writable, so writes (polls, feeds, settings) are unavailable']
      : []),
    ...Object.entries(counts).map(([k, v]) => `${k}: ${v}`),
  ].join('\n');
  return {
    text,
    json: {
      databasePath: config.databasePath,
      bytes,
      freeBytes: free,
      schemaVersion: schema,
      readOnly: db.readonly,
      retentionDays: config.retentionDays,
      oldestItemAt: oldest,
      counts,
    },
  };
}
