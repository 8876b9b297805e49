import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { LockStore } from '../lock-store.js';
import { preparedStatements } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const SQL = {
  // Takes the name when it is free or its lease ran out; the write lock makes this one decision.
  acquire: `insert into locks (name, holder, expires_at) values (@name, @holder, @expiresAt)
    on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
    where locks.expires_at <= @now`,
  renew: `update locks set expires_at = @expiresAt where name = @name and holder = @holder`,
  release: `delete from locks where name = @name and holder = @holder`,
} as const;

/**
 * Leases in a table of the shared file: processes on one SQLite file (one host) take turns. A
 * process killed while holding one frees it when the lease runs out.
 */
export function createSqliteLockStore(database: Database, writes: WriteQueue): LockStore {
  const stmt = preparedStatements(database, SQL);
  return {
    async tryAcquire(name, ttlMs) {
      const holder = randomUUID();
      const now = Date.now();
      const taken = await writes.write(
        () => stmt('acquire').run({ name, holder, now, expiresAt: now + ttlMs }).changes === 1,
      );
      if (!taken) return undefined;
      return {
        renew: () =>
          writes.write(
            () => stmt('renew').run({ name, holder, expiresAt: Date.now() + ttlMs }).changes === 1,
          ),
        release: async () => {
          await writes.write(() => stmt('release').run({ name, holder }));
        },
      };
    },
  };
}
