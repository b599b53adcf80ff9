import type { CommandContext, Reply } from './types.js';

/** `stats`: database size and row counts. */
export async function statsCommand(ctx: CommandContext): Promise<Reply> {
  const { sql: db, config } = ctx.services;
  const count = async (table: string) => ((await db.get(`SELECT count(*) AS n FROM ${table}`)) as { n: number }).n;
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
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = await count(t);
  const { where, bytes, freeBytes: free } = await db.size();
  const schema = await db.schemaVersion();
  const oldest = ((await db.get('SELECT min(published_at) AS t FROM items')) as { t: string | null }).t;
  const text = [
    `Database ${where}: ${(bytes / 1024 / 1024).toFixed(1)} MB (${(free / 1024 / 1024).toFixed(1)} MB free inside), schema v${schema}`,
    `Retention: ${config.retentionDays} days; oldest item ${oldest?.slice(0, 10) ?? 'none'}`,
    ...(db.readonly
      ? ['Read-only: DATABASE_PATH is not writable, so writes (polls, feeds, settings) are unavailable']
      : []),
    ...Object.entries(counts).map(([k, v]) => `${k}: ${v}`),
  ].join('\n');
  return {
    text,
    json: {
      databasePath: where,
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
