import type pg from 'pg';
import type { LockStore } from '../lock-store.js';

/** First key of every hush advisory lock ('hush' in ASCII), so other users of the database keep theirs. */
const LOCK_NAMESPACE = 0x68757368;

/**
 * Session-level advisory locks, each held on a pooled connection kept for the lease's lifetime
 * (one of the pool's `max`). The server ties the lock to that session: a node that dies, or loses
 * its connection, frees the lock with it, so `ttlMs` is unused here. Release every lease before
 * closing the storage: the pool waits for its checked-out connections.
 */
export function createPostgresLockStore(pool: pg.Pool): LockStore {
  return {
    async tryAcquire(name) {
      const client = await pool.connect();
      let acquired: boolean;
      try {
        const { rows } = await client.query<{ acquired: boolean }>(
          'select pg_try_advisory_lock($1::integer, hashtext($2::text)) as acquired',
          [LOCK_NAMESPACE, name],
        );
        acquired = rows[0]?.acquired === true;
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
      if (!acquired) {
        client.release();
        return undefined;
      }

      // A checked-out client has no error listener of the pool's: without ours, the connection
      // dropping while the lease sits idle would crash the process. It also marks the lease lost.
      let lost: Error | undefined;
      let released = false;
      const onError = (error: Error) => {
        lost ??= error;
      };
      client.on('error', onError);
      // Gives the connection back; destroyed after a failure (which frees the lock on the server).
      const giveBack = (error?: Error) => {
        if (released) return;
        released = true;
        client.removeListener('error', onError);
        client.release(error);
      };

      return {
        async renew() {
          if (released) return false;
          if (!lost) {
            try {
              await client.query('select 1');
              return true;
            } catch (error) {
              lost = error as Error;
            }
          }
          giveBack(lost);
          return false;
        },
        // Never throws: when the unlock fails, dropping the connection frees the lock instead.
        async release() {
          if (released) return;
          if (!lost) {
            try {
              await client.query('select pg_advisory_unlock($1::integer, hashtext($2::text))', [
                LOCK_NAMESPACE,
                name,
              ]);
            } catch (error) {
              lost = error as Error;
            }
          }
          giveBack(lost);
        },
      };
    },
  };
}
