import { HushError } from '../errors/hush-error.js';
import type { LockStore } from './lock-store.js';

/** Tells a backend fault ("retry later") from anything else; one per backend folder. */
export type IsFault = (error: unknown) => boolean;

/**
 * Wraps every method of a store so that a backend fault (connection refused or lost, timeout,
 * server shutting down, a SQLite file busy past its timeout) surfaces as HushError('unavailable'),
 * answered 503, instead of a 500. Anything else (a bug, a constraint violation) passes through
 * unchanged. Every store method returns a promise (the contracts say so).
 *
 * This sits on every store call of the hot path, so a call costs one derived promise and nothing
 * else: no rest array (`arguments` is passed straight to apply, which V8 does without copying),
 * no closure per call (the rejection handler is made once per store).
 */
export function mapFaults<T extends object>(store: T, isFault: IsFault): T {
  const onRejected = (error: unknown): never => {
    throw isFault(error) ? new HushError('unavailable', undefined, { cause: error }) : error;
  };
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(store)) {
    if (typeof member !== 'function') {
      wrapped[name] = member;
      continue;
    }
    const method = member as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = function faultMapped(this: unknown) {
      let result: Promise<unknown>;
      try {
        // biome-ignore lint/complexity/noArguments: forwards any arity without allocating a rest array
        result = method.apply(store, arguments as unknown as unknown[]);
      } catch (error) {
        // A method that is not async may throw before it returns its promise.
        return Promise.reject(
          isFault(error) ? new HushError('unavailable', undefined, { cause: error }) : error,
        );
      }
      return result.then(undefined, onRejected);
    };
  }
  return wrapped as T;
}

/** The lock store and the leases it hands out: a lease's renew and release reach the backend too. */
export function mapLockFaults(locks: LockStore, isFault: IsFault): LockStore {
  return mapFaults(
    {
      async tryAcquire(name: string, ttlMs: number) {
        const lease = await locks.tryAcquire(name, ttlMs);
        return lease && mapFaults(lease, isFault);
      },
    },
    isFault,
  );
}
