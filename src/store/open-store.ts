import type { Config } from '../config/load-config.js';
import type { SqlEngine } from './sql.js';
import { openSqlite } from './sqlite-sql.js';

/** Opens and migrates the configured database: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export async function openStore(config: Pick<Config, 'databasePath'>): Promise<SqlEngine> {
  return openSqlite(config.databasePath);
}
