import { Type } from 'typebox';
import type { Metrics } from '../../metrics/metrics.js';
import type { TypedApp } from './route-types.js';

export interface OpsDeps {
  /** Resolves when storage answers (readiness). */
  readonly storageReady: () => Promise<void>;
  readonly metrics: Metrics;
  /** False once shutdown has begun, so load balancers stop sending traffic. */
  readonly accepting: () => boolean;
}

const Status = Type.Object({ status: Type.String() });
const noLimit = { rateLimit: false } as const;

export function opsRoutes(app: TypedApp, { storageReady, metrics, accepting }: OpsDeps): void {
  app.get(
    '/healthz',
    { config: noLimit, schema: { tags: ['ops'], summary: 'Liveness', response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: noLimit,
      schema: {
        tags: ['ops'],
        summary: 'Readiness: storage answers',
        response: { 200: Status, 503: Status },
      },
    },
    async (request, reply) => {
      if (!accepting()) return reply.code(503).send({ status: 'shutting_down' });
      try {
        await storageReady();
        return { status: 'ready' };
      } catch (error) {
        request.log.warn({ errName: (error as Error).name }, 'storage not ready');
        return reply.code(503).send({ status: 'storage_unavailable' });
      }
    },
  );

  app.get(
    '/metrics',
    { config: noLimit, schema: { tags: ['ops'], summary: 'Prometheus metrics' } },
    async (_request, reply) => {
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    },
  );
}
