import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite file with WAL, a busy timeout and foreign keys, then applies
 * pending migrations. WAL plus busy_timeout lets the CLI write while the server runs.
 */
export function openDatabase(path: string, options: { migrate?: boolean } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  // Only takes effect on a new, empty file; lets retention give pages back with incremental_vacuum.
  // Pages stay at the default 4 KiB: 16 KiB stored items ~15% faster but raised peak memory over a
  // 100k-item cycle from ~241 MB to ~288 MB (npm run bench memory), past the 250 MB budget.
  if ((db.pragma('page_count', { simple: true }) as number) === 0) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Checkpoint about every 32 MB of WAL rather than SQLite's 4 MB: each checkpoint fsyncs, and at the
  // default a poll storing 10k items spent a quarter of its store time in them (npm run bench). Crash
  // safety is unchanged (WAL); the size limit truncates the file after a checkpoint so disk use stays bounded.
  db.pragma('wal_autocheckpoint = 8000');
  db.pragma('journal_size_limit = 67108864');
  db.pragma('foreign_keys = ON');
  if (options.migrate !== false) migrate(db);
  return db;
}
