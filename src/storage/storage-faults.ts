import { HushError } from '../errors/hush-error.js';

/**
 * Wraps every method of a store so that a backend fault (connection refused or lost, timeout,
 * server shutting down) surfaces as HushError('unavailable'), answered 503, instead of a 500.
 * Anything else (a bug, a constraint violation) passes through unchanged.
 */
export function mapFaults<T extends object>(store: T, isFault: (error: unknown) => boolean): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(store)) {
    wrapped[name] =
      typeof member === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (member as (...a: unknown[]) => Promise<unknown>).apply(store, args);
            } catch (error) {
              throw isFault(error) ? new HushError('unavailable', undefined, { cause: error }) : error;
            }
          }
        : member;
  }
  return wrapped as T;
}
