import { readdirSync, readFileSync } from 'node:fs';
import { AppError } from '../core/errors.js';
import type { Db } from './open-database.js';

/** Where the numbered `.sql` files live; resolved from this module so src/ and dist/ both work. */
export const MIGRATIONS_DIR = new URL('../../db/migrations/', import.meta.url);

/** Migration files in order: `0001_init.sql` is version 1. */
export function listMigrations(dir: URL = MIGRATIONS_DIR): { version: number; name: string; sql: string }[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 4)), name, sql: readFileSync(new URL(name, dir), 'utf8') }));
}

/**
 * Refuses a database this code cannot use safely: one whose schema is newer than any migration here
 * (written by a later version; using it could corrupt it or misread it), and a read-only one that still
 * needs migrations. Throws AppError('database_unusable') whose message continues "DATABASE_PATH <path> …".
 */
export function checkSchemaVersion(db: Db, o: { readOnly: boolean; dir?: URL }): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = listMigrations(o.dir).at(-1)?.version ?? 0;
  if (current > latest)
    throw new AppError(
      'database_unusable',
      `has schema v${current}, newer than this version of ai-news knows (v${latest}); run the newer ai-news, or restore a backup made before the upgrade`,
    );
  if (o.readOnly && current < latest)
    throw new AppError(
      'database_unusable',
      `is read-only and at schema v${current}, older than this version needs (v${latest}); make it writable once so it can be upgraded`,
    );
}

/**
 * Applies every migration newer than `PRAGMA user_version`, each in its own transaction
 * (IMMEDIATE, so two processes starting at once cannot both apply it). Returns the versions applied.
 */
export function migrate(db: Db, dir: URL = MIGRATIONS_DIR): number[] {
  checkSchemaVersion(db, { readOnly: db.readonly, dir });
  const applied: number[] = [];
  for (const m of listMigrations(dir)) {
    const step = db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (m.version <= current) return false;
      if (m.version !== current + 1) throw new Error(`store: migration ${m.name} skips version ${current + 1}`);
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      return true;
    });
    if (step.immediate()) applied.push(m.version);
  }
  return applied;
}
