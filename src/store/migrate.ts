import { readdirSync, readFileSync } from 'node:fs';
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
 * Applies every migration newer than `PRAGMA user_version`, each in its own transaction
 * (IMMEDIATE, so two processes starting at once cannot both apply it). Returns the versions applied.
 */
export function migrate(db: Db, dir: URL = MIGRATIONS_DIR): number[] {
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
