import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';

import { readTlsMaterial } from '../config/tls.js';
import type { TrustProxy } from '../config/trust-proxy.js';
import type { RateLimitStore } from '../storage/rate-limit-store.js';
import { DEFAULT_BODY_LIMIT } from './body-budgets.js';
import { createHttpServer } from './http-server.js';
import { registerAuth } from './plugins/auth.js';
import { registerBodyLimits } from './plugins/body-limit.js';
import { clientErrorHandler } from './plugins/client-error.js';
import { registerDrain } from './plugins/drain.js';
import { frameworkErrorHandlerFor, registerErrorHandling } from './plugins/error-handler.js';
import { registerJsonParser } from './plugins/json-parser.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { registerRejectNul } from './plugins/reject-nul.js';
import { registerRequestLog } from './plugins/request-log.js';
import { registerRequireHost } from './plugins/require-host.js';
import { registerRequireHttps } from './plugins/require-https.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import type { RouteDeps, TypedApp } from './route-types.js';
import { COMPAT_PREFIX, compatSurface } from './surfaces/compat/compat-surface.js';
import { NATIVE_PREFIX, nativeSurface } from './surfaces/native/native-surface.js';
import { OTS_PREFIX, otsSurface } from './surfaces/onetimesecret/ots-surface.js';
import { type OpsDeps, opsSurface } from './surfaces/ops/ops-surface.js';
import { vaultShape } from './surfaces/vault/vault-errors.js';
import { VAULT_PREFIX, vaultSurface } from './surfaces/vault/vault-surface.js';
import { webSurface } from './surfaces/web/web-surface.js';
import { validatorCompiler } from './validators.js';

export interface AppDeps extends RouteDeps, Omit<OpsDeps, 'metricsToken'> {
  readonly logger: FastifyBaseLogger;
  readonly version: string;
  /** Storage.rateLimits: counters shared by every node (Redis); undefined counts in memory. */
  readonly rateLimits?: RateLimitStore | undefined;
}

/** A hop count becomes "trust the nearest N proxies", which Fastify's types express as a function. */
function toFastifyTrustProxy(value: TrustProxy) {
  return typeof value === 'number' ? (_address: string, hop: number) => hop < value : value;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A caller's X-Request-Id is kept when it is safe to log; otherwise a fresh one is made. */
function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export async function buildApp(deps: AppDeps): Promise<TypedApp> {
  const { config } = deps;
  const tls = config.tls ? readTlsMaterial(config.tls) : null;
  const app = Fastify({
    loggerInstance: deps.logger,
    // Fastify's own request lines include the URL, which carries keys: the request-log plugin replaces them.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestId,
    requestIdHeader: false,
    trustProxy: toFastifyTrustProxy(config.trustProxy),
    serverFactory: (handler) => createHttpServer(config.http, tls, handler),
    // Fastify reads `https` only to name the listening address https:// once a serverFactory
    // builds the server; its types allow one or the other, hence the cast.
    ...({ https: tls } as object),
    // Fastify's default (100) is below a machine name (128) and a secret name in one segment (256).
    routerOptions: { maxParamLength: 256 },
    // Each surface sets its routes' own (its body-limit table); this is for anything that sets none.
    bodyLimit: DEFAULT_BODY_LIMIT.bytes,
    clientErrorHandler,
    // Router errors below /v1 answer Vault's shape, as everything else there does.
    frameworkErrors: frameworkErrorHandlerFor([[VAULT_PREFIX, vaultShape]]),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  registerBodyLimits(app, deps.settings);
  registerJsonParser(app);
  registerErrorHandling(app);
  registerAuth(app);
  registerRejectNul(app);
  registerSecurityHeaders(app);
  registerRequireHost(app);
  registerRequireHttps(app, config.requireHttps);
  registerRequestLog(app, deps.metrics);
  registerDrain(app, deps.accepting);
  await registerOpenApi(app, deps.version);
  await registerRateLimit(app, { ...config.rateLimit, store: deps.rateLimits });

  // One line per API surface: each brings its routes, auth, error shape, body limits and tag.
  await app.register(nativeSurface, { prefix: NATIVE_PREFIX, deps });
  await app.register(compatSurface, { prefix: COMPAT_PREFIX, deps });
  await app.register(otsSurface, { prefix: OTS_PREFIX, deps });
  await app.register(vaultSurface, { prefix: VAULT_PREFIX, deps });
  await app.register(opsSurface, { deps: { ...deps, metricsToken: config.http.metricsToken } });
  await app.register(webSurface, { deps });
  return app;
}
