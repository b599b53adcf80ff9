import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { migratePostgres, openPostgres, PG_MIGRATIONS_DIR } from '../../src/store/migrate-postgres.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { Sql } from '../../src/store/sql.js';
import { sqlOf, TEST_ENGINE, testPostgresUrl } from './test-services.js';

/**
 * A store on the test engine at schema `version` (the migrations up to it, copied into `dir`), and how to
 * bring it to the latest version: for migration tests that run on both engines.
 */
export async function storeAtVersion(
  dir: string,
  version: number,
): Promise<{ sql: Sql; upgrade: () => Promise<number[]>; close: () => Promise<void> }> {
  const older = join(dir, `older-${version}/`);
  mkdirSync(older);
  if (TEST_ENGINE === 'sqlite') {
    for (const m of listMigrations().filter((m) => m.version <= version)) writeFileSync(join(older, m.name), m.sql);
    const db = openDatabase(join(dir, `v${version}.sqlite`), { migrate: false });
    migrate(db, pathToFileURL(older));
    return { sql: sqlOf(db), upgrade: async () => migrate(db), close: async () => void db.close() };
  }
  for (const m of listMigrations(PG_MIGRATIONS_DIR).filter((m) => m.version <= version))
    writeFileSync(join(older, m.name), m.sql);
  const sql = await openPostgres(testPostgresUrl(), { migrate: false });
  await migratePostgres(sql, pathToFileURL(older));
  return { sql, upgrade: () => migratePostgres(sql), close: () => sql.close() };
}
