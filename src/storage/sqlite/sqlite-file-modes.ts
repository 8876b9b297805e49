import { restrictToOwner } from '../../files/owner-only.js';

/** The database and the files SQLite keeps beside it, which hold its pages too. */
const SUFFIXES = ['', '-wal', '-shm'] as const;

export interface TightenedFile {
  readonly file: string;
  /** The mode it had, as octal text (e.g. "644"). */
  readonly previousMode: string;
}

/**
 * Makes the database file and its -wal and -shm files 0600 (SQLite gives new -wal and -shm files
 * the database's mode, so a database created readable by others makes its WAL readable too).
 * Returns what it changed.
 */
export function tightenSqliteFiles(database: string): TightenedFile[] {
  return SUFFIXES.flatMap((suffix) => {
    const file = `${database}${suffix}`;
    const previousMode = restrictToOwner(file);
    return previousMode === undefined ? [] : [{ file, previousMode }];
  });
}
