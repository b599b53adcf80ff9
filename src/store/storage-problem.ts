import { AppError } from '../core/errors.js';

/**
 * The store's failures that are not the caller's fault and not a bug — the disk is full, the file is
 * read-only — as AppErrors with a message saying what to do; null for anything else. Recognised by
 * SQLite's error code, so callers above the store need not know SQLite.
 */
export function storageProblem(err: unknown): AppError | null {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (code === 'SQLITE_FULL')
    return new AppError(
      'storage_full',
      'store: the database or its disk is full; nothing from this step was stored. Free disk space and try again.',
      { cause: err },
    );
  if (code.startsWith('SQLITE_READONLY'))
    return new AppError(
      'storage_readonly',
      'store: the database is read-only (DATABASE_PATH is not writable): reading works, writes are unavailable',
      { cause: err },
    );
  return null;
}
