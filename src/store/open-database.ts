import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../core/errors.js';
import { checkSchemaVersion, migrate } from './migrate.js';

export type Db = Database.Database;

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = 'SQLite format 3\0';

/** One line naming DATABASE_PATH and what is wrong with it; the CLI and main print it and exit. */
function unusable(path: string, problem: string, cause?: unknown): AppError {
  return new AppError('database_unusable', `DATABASE_PATH ${path} ${problem}`, { cause });
}

/** What SQLite's error codes mean for the operator, as the rest of the sentence after the path. */
function sqliteProblem(err: unknown): string {
  const code = String((err as { code?: unknown })?.code ?? '');
  if (code.startsWith('SQLITE_NOTADB')) return 'is not a SQLite database (or it is encrypted)';
  if (code.startsWith('SQLITE_CORRUPT')) return 'is a damaged SQLite database; restore it from a backup';
  if (code.startsWith('SQLITE_FULL')) return 'cannot be written: the disk is full; free space and start again';
  if (code.startsWith('SQLITE_READONLY'))
    return 'cannot be written, and SQLite needs its folder writable to open it (for its -wal and -shm files)';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'cannot be opened; check the path and its permissions';
  if (code.startsWith('SQLITE_BUSY')) return 'is locked by another process; try again in a moment';
  if (code.startsWith('SQLITE_IOERR')) return 'cannot be read or written (disk I/O error)';
  return `cannot be used: ${(err as Error)?.message ?? String(err)}`;
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks DATABASE_PATH before SQLite touches it, so a directory, a device, a pipe or a /proc entry, a
 * file that is not a database, or a folder that cannot be created gets one clear sentence instead of a
 * stack (or a process spinning on a special file). Returns whether the file exists and may be written.
 */
function inspectPath(path: string): { exists: boolean; writable: boolean } {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return refuse(path, 'is under a file, not a folder; give a path inside a folder', err);
    if (code !== 'ENOENT') return refuse(path, `cannot be checked (${code ?? 'unknown error'})`, err);
    const folder = dirname(path);
    try {
      mkdirSync(folder, { recursive: true });
    } catch (mk) {
      const why = (mk as NodeJS.ErrnoException).code ?? 'unknown error';
      return refuse(path, `cannot be created: its folder ${folder} does not exist and cannot be made (${why})`, mk);
    }
    if (!canWrite(folder)) return refuse(path, `cannot be created: its folder ${folder} is not writable`);
    return { exists: false, writable: true };
  }
  if (stat.isDirectory()) return refuse(path, 'is a directory; point it at a SQLite file such as db/ai-news.sqlite');
  if (!stat.isFile())
    return refuse(path, 'is not a regular file (a device, pipe, socket or /proc entry); point it at a SQLite file');
  // Read the header even when the size says 0: /proc and /sys files report 0 and still have content.
  // Non-blocking, so a file that would wait for data (/proc/kmsg) is refused instead of hanging.
  const head = Buffer.alloc(16);
  let read = 0;
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    read = readSync(fd, head, 0, 16, 0);
  } catch (err) {
    return refuse(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (read > 0 && head.subarray(0, read).toString('latin1') !== SQLITE_HEADER.slice(0, read))
    return refuse(path, 'is not a SQLite database');
  if (read > 0 && read < 16) return refuse(path, 'is not a SQLite database (it is shorter than a SQLite header)');
  return { exists: true, writable: canWrite(path) };
}

function refuse(path: string, problem: string, cause?: unknown): never {
  throw unusable(path, problem, cause);
}

/**
 * Opens (creating if needed) the SQLite file with WAL, a busy timeout and foreign keys, then applies
 * pending migrations. WAL plus busy_timeout lets the CLI write while the server runs. A file that cannot
 * be written is opened read-only, without migrations or WAL changes (`db.readonly`), so it can still be
 * read; a database newer than this code is refused. Problems throw AppError('database_unusable').
 */
export function openDatabase(path: string, options: { migrate?: boolean } = {}): Db {
  const file = path === ':memory:' || path === '' ? null : inspectPath(path);
  let db: Db | undefined;
  try {
    if (file && !file.writable) {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      checkSchemaVersion(db, { readOnly: true });
      return db;
    }
    db = new Database(path);
    db.pragma('busy_timeout = 5000');
    // Refuse a newer database before anything is written to it.
    checkSchemaVersion(db, { readOnly: false });
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
  } catch (err) {
    if (db?.open) db.close();
    if (err instanceof AppError) {
      if (err.code === 'database_unusable' && !err.message.startsWith('DATABASE_PATH'))
        throw unusable(path, err.message, err);
      throw err;
    }
    throw unusable(path, sqliteProblem(err), err);
  }
}
