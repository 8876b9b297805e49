import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../metrics/metrics.js';

/**
 * One log line and one histogram sample per request. It logs the route template
 * (`/api/v1/shares/:secretKey`), never the URL, because URLs carry share and receipt keys.
 * Hooks are callback-style: no promise per request on the hot path.
 */
export function registerRequestLog(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRequest', (_request, _reply, done) => {
    metrics.httpInFlight.inc();
    done();
  });
  app.addHook('onRequestAbort', (_request, done) => {
    metrics.httpInFlight.dec();
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpInFlight.dec();
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(status) },
      reply.elapsedTime / 1000,
    );
    request.log.info(
      { method: request.method, route, status, ms: Math.round(reply.elapsedTime * 100) / 100 },
      'request completed',
    );
    done();
  });
}
