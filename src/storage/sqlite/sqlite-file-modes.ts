import { chmodSync, statSync } from 'node:fs';

/** The database and the files SQLite keeps beside it, which hold its pages too. */
const SUFFIXES = ['', '-wal', '-shm'] as const;

export interface TightenedFile {
  readonly file: string;
  /** The mode it had, as octal text (e.g. "644"). */
  readonly previousMode: string;
}

/**
 * Takes the group and other bits off the database file and its -wal and -shm files, whatever the
 * umask or an earlier version left (SQLite gives new -wal and -shm files the database's mode, so
 * a database created readable by others makes its WAL readable too). Returns what it changed.
 */
export function tightenSqliteFiles(database: string): TightenedFile[] {
  const tightened: TightenedFile[] = [];
  for (const suffix of SUFFIXES) {
    const file = `${database}${suffix}`;
    let mode: number;
    try {
      mode = statSync(file).mode & 0o777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if ((mode & 0o077) === 0) continue;
    chmodSync(file, 0o600);
    tightened.push({ file, previousMode: mode.toString(8) });
  }
  return tightened;
}
