import { statSync } from 'node:fs';
import type { CommandContext, Reply } from './types.js';

/** `stats`: database size and row counts. */
export async function statsCommand(ctx: CommandContext): Promise<Reply> {
  const { db, config } = ctx.services;
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const tables = ['feeds', 'items', 'stories', 'story_items', 'llm_usage', 'audit_log'];
  const counts = Object.fromEntries(tables.map((t) => [t, count(t)]));
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += statSync(config.databasePath + suffix).size;
    } catch {}
  }
  const schema = db.pragma('user_version', { simple: true }) as number;
  const text = [
    `Database ${config.databasePath}: ${(bytes / 1024 / 1024).toFixed(1)} MB, schema v${schema}`,
    ...Object.entries(counts).map(([k, v]) => `${k}: ${v}`),
  ].join('\n');
  return { text, json: { databasePath: config.databasePath, bytes, schemaVersion: schema, counts } };
}
