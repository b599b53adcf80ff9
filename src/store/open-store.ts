import type { Config } from '../config/load-config.js';
import { openPostgres } from './migrate-postgres.js';
import type { SqlEngine } from './sql.js';
import { openSqlite } from './sqlite-sql.js';

/**
 * Opens and migrates the configured database: PostgreSQL when DATABASE_URL is set (DATABASE_PATH is then
 * never touched), else the SQLite file at DATABASE_PATH.
 */
export async function openStore(config: Pick<Config, 'databasePath' | 'databaseUrl'>): Promise<SqlEngine> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openSqlite(config.databasePath);
}
