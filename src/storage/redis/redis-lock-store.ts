import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LockStore } from '../lock-store.js';
import { defineScripts } from './redis-scripts.js';

/**
 * Leases as `<prefix>lock:<name>` holding a random token per holder, set only when absent and
 * expiring after the lease: nodes sharing one Redis take turns, and a dead holder's lease lapses.
 */
export function createRedisLockStore(redis: Redis, keyPrefix: string): LockStore {
  const run = defineScripts(redis);
  return {
    async tryAcquire(name, ttlMs) {
      const key = `${keyPrefix}lock:${name}`;
      const holder = randomUUID();
      if ((await redis.set(key, holder, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
      return {
        renew: async () => (await run('hushRenewLock', [key], [holder, ttlMs])) === 1,
        release: async () => {
          await run('hushReleaseLock', [key], [holder]);
        },
      };
    },
  };
}
