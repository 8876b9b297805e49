/**
 * better-sqlite3's codes for "another connection holds the lock past busy_timeout": a retry can
 * succeed, so they are answered 503 like a database that is away. SQLITE_FULL, IOERR, CORRUPT and
 * constraint codes are not faults in this sense: a retry would fail the same way (500).
 */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT']);

/** True for a SQLite error that means "the file is busy, retry later" (see mapFaults). */
export function isSqliteFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && BUSY_CODES.has(code);
}
