import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

export interface RateLimitOptions {
  /** Requests per client IP per window; 0 turns limiting off. */
  readonly max: number;
  readonly windowSeconds: number;
  /** Counts in Redis, shared by every node, instead of in this process's memory. */
  readonly redis?: Redis | undefined;
  /** Prefix of hush's Redis keys (HUSH_REDIS_KEY_PREFIX); counters live under `<prefix>ratelimit:`. */
  readonly redisKeyPrefix?: string | undefined;
}

/**
 * Per-client limits on every API route (ops routes opt out with `config.rateLimit: false`).
 * They sit on top of the per-share passphrase attempt limit, against guessing across many shares.
 * The key is `request.ip`, which honours HUSH_TRUST_PROXY.
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  if (options.max === 0) return;
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.windowSeconds * 1000,
    keyGenerator: (request) => request.ip,
    ...(options.redis && {
      redis: options.redis,
      nameSpace: `${options.redisKeyPrefix ?? 'hush:'}ratelimit:`,
      // While Redis is away, requests go through unlimited rather than all failing: the limiter
      // must not turn an outage into errors on routes that do not need Redis; readiness reports it.
      skipOnError: true,
    }),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Rate limit exceeded, retry in ${context.after}`,
    }),
  });
}
