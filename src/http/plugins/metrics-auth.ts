import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestAsyncHookHandler } from 'fastify';
import type { TokenService } from '../../auth/token-types.js';
import { authenticate, bearerToken } from './auth.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * /metrics tells when sign-ins fail and shares are read: it needs a scraper's HUSH_METRICS_TOKEN
 * or an admin's access token. The scraper token is compared as a digest in constant time, so its
 * length and contents leak nothing; anything else goes through the ordinary admin check.
 */
export function metricsAuth(
  tokens: TokenService,
  metricsToken: string | undefined,
): onRequestAsyncHookHandler {
  const admin = authenticate(tokens, { scope: 'admin' });
  const expected = metricsToken === undefined ? undefined : digest(metricsToken);
  return async function checkMetricsAccess(request, reply) {
    const presented = bearerToken(request);
    if (expected && presented !== undefined && timingSafeEqual(digest(presented), expected)) return;
    await admin.call(this, request, reply);
  };
}
