import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../metrics/metrics.js';

/**
 * One log line and one histogram sample per request. It logs the route template
 * (`/api/v1/shares/:secretKey`), never the URL, because URLs carry share and receipt keys.
 */
export function registerRequestLog(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRequest', async () => {
    metrics.httpInFlight.inc();
  });
  // Fastify requires exactly one parameter on async onRequestAbort hooks.
  app.addHook('onRequestAbort', async (_request) => {
    metrics.httpInFlight.dec();
  });
  app.addHook('onResponse', async (request, reply) => {
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
  });
}
