import type { Database, Statement } from 'better-sqlite3';

/**
 * Tells whether another connection (another hush process on the same file, or a `hush` command)
 * committed since the last look. SQLite changes `PRAGMA data_version` for exactly that, and never
 * for this connection's own commits.
 */
export type ChangeCounter = () => number;

export function changeCounter(database: Database): ChangeCounter {
  let statement: Statement<[], number> | undefined;
  return () => {
    statement ??= database.prepare<[], number>('pragma data_version').pluck();
    return statement.get() as number;
  };
}

export interface ReadCache<V> {
  /** The cached value, or `read(key)` (cached when defined). */
  get(key: string, read: (key: string) => V | undefined): V | undefined;
  /** Empties the cache: call it inside every write job that touches the cached tables. */
  clear(): void;
}

/**
 * A read-through cache for rows read on every request and written rarely (a token with its
 * session and account, an actor's policies). It is never stale, so a revocation or a new deny
 * applies to the very next request:
 * - a write of this process clears it from inside the write job, synchronously, before the
 *   commit can answer anyone;
 * - a commit by any other connection clears it at the next `get`, seen through the change counter.
 * Misses are not cached, so unknown keys (a stranger's made-up tokens) cannot fill it; it holds at
 * most `maxEntries`, dropping the oldest first.
 */
export function createReadCache<V>(changes: ChangeCounter, maxEntries = 10_000): ReadCache<V> {
  const entries = new Map<string, V>();
  let seen = Number.NaN;
  return {
    get(key, read) {
      const counter = changes();
      if (counter !== seen) {
        entries.clear();
        seen = counter;
      }
      const cached = entries.get(key);
      if (cached !== undefined) return cached;
      const value = read(key);
      if (value === undefined) return undefined;
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, value);
      return value;
    },
    clear: () => entries.clear(),
  };
}
