import { Type } from 'typebox';
import type { TokenService } from '../../../auth/token-types.js';
import type { Metrics } from '../../../metrics/metrics.js';
import { hushErrorShape } from '../../plugins/error-shapes.js';
import { metricsAuth } from '../../plugins/metrics-auth.js';
import type { TypedApp } from '../../route-types.js';
import { defineSurface } from '../surface.js';

export interface OpsDeps {
  /** Resolves when storage answers (readiness). */
  readonly storageReady: () => Promise<void>;
  readonly metrics: Metrics;
  /** False once shutdown has begun, so load balancers stop sending traffic. */
  readonly accepting: () => boolean;
  readonly tokens: TokenService;
  /** HUSH_METRICS_TOKEN: a scraper's bearer for /metrics besides an admin's access token. */
  readonly metricsToken: string | undefined;
}

const Status = Type.Object({ status: Type.String() });
const noLimit = { rateLimit: false } as const;

function opsRoutes(app: TypedApp, deps: OpsDeps): void {
  const { storageReady, metrics, accepting } = deps;
  app.get(
    '/healthz',
    { config: noLimit, schema: { summary: 'Liveness', response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: noLimit,
      schema: {
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
    {
      // Rate limited like the API: a scraper asks a few times a minute, a guesser far more often.
      onRequest: metricsAuth(deps.tokens, deps.metricsToken),
      schema: {
        summary: 'Prometheus metrics (HUSH_METRICS_TOKEN or an admin access token)',
        security: [{ bearer: [] }],
      },
    },
    async (_request, reply) => {
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    },
  );
}

/**
 * What load balancers and scrapers ask, at the root: liveness, readiness, metrics. Not rate limited
 * but for /metrics, which is guarded by its own token or an admin's.
 */
export const opsSurface = defineSurface<OpsDeps>({
  tag: 'ops',
  errorShape: hushErrorShape,
  bodyLimits: {},
  routes: opsRoutes,
});
