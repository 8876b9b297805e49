import { type Kysely, sql } from 'kysely';
import type { SqliteSchema } from './sqlite-schema.js';

/**
 * Runs `work` inside BEGIN IMMEDIATE: the write lock is taken before the first read, so two
 * processes on one database file serialize here instead of failing with SQLITE_BUSY_SNAPSHOT.
 * Kysely holds its single connection for the whole callback, so no other query interleaves.
 */
export function immediateTransaction<T>(
  db: Kysely<SqliteSchema>,
  work: (trx: Kysely<SqliteSchema>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    // If BEGIN itself fails (lock timeout) there is nothing to roll back: let its error through.
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      // SQLite may already have rolled back (e.g. on SQLITE_FULL); keep the original error.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
