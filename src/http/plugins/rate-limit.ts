import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { RateLimitStore } from '../../storage/rate-limit-store.js';

export interface RateLimitOptions {
  /** Requests per client IP per window; 0 turns limiting off. */
  readonly max: number;
  readonly windowSeconds: number;
  /** Storage's shared counters (Storage.rateLimits); without, each process counts in memory. */
  readonly store?: RateLimitStore | undefined;
}

/**
 * Per-client limits on every API route (ops routes opt out with `config.rateLimit: false`).
 * They sit on top of the per-share passphrase attempt limit, against guessing across many shares.
 * The key is `request.ip`, which honours HUSH_TRUST_PROXY.
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  if (options.max === 0) return;
  const windowMs = options.windowSeconds * 1000;
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: windowMs,
    keyGenerator: (request) => request.ip,
    ...(options.store && {
      store: storeClass(options.store, '', windowMs),
      // While the shared store is away, requests go through unlimited rather than all failing: the
      // limiter must not turn an outage into errors on routes that do not need it; readiness says so.
      skipOnError: true,
    }),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Rate limit exceeded, retry in ${context.after}`,
    }),
  });
}

/**
 * @fastify/rate-limit takes a store class; this one counts in storage's RateLimitStore. A route
 * with limits of its own gets a child whose keys are apart (`<method><url>-<ip>`).
 */
function storeClass(counters: RateLimitStore, prefix: string, defaultWindowMs: number) {
  return class StorageRateLimitStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      // The plugin passes the route's window as a third argument its types leave out.
      timeWindow: number = defaultWindowMs,
    ): void {
      counters.hit(`${prefix}${key}`, timeWindow).then(
        (hit) => callback(null, { current: hit.count, ttl: hit.ttlMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }
    // The plugin passes the route's merged limits with `routeInfo`, which its types leave out too.
    child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const route = (options as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      const Child = storeClass(counters, `${prefix}${route?.method}${route?.url}-`, defaultWindowMs);
      return new Child();
    }
  };
}
