import type { FastifyInstance } from 'fastify';
import { HushError } from '../../errors/hush-error.js';

/**
 * Liveness and readiness stay reachable over plain HTTP: load balancers probe them that way, and
 * so do those in front of Vault, at `sys/health` (which carries no secret either).
 */
const EXEMPT = new Set(['/healthz', '/readyz', '/v1/sys/health']);

/**
 * HUSH_REQUIRE_HTTPS: a request that did not arrive over HTTPS answers 403 `https_required` on
 * request, before body parsing, rate limiting or authentication. `request.protocol` believes
 * X-Forwarded-Proto only from a proxy HUSH_TRUST_PROXY trusts.
 */
export function registerRequireHttps(app: FastifyInstance, required: boolean): void {
  if (!required) return;
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.protocol === 'https' || EXEMPT.has(request.routeOptions.url ?? '')) {
      done();
      return;
    }
    done(new HushError('https_required'));
  });
}
