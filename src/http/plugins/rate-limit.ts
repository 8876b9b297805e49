import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

export interface RateLimitOptions {
  /** Requests per client IP per window; 0 turns limiting off. */
  readonly max: number;
  readonly windowSeconds: number;
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
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Rate limit exceeded, retry in ${context.after}`,
    }),
  });
}
