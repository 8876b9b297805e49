import formBody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { formOrStrictValidatorCompiler, parseFormBody } from '../../form-body.js';
import type { RouteDeps } from '../../route-types.js';
import { defineSurface } from '../surface.js';
import { OTS_BODY_LIMITS } from './ots-body-limits.js';
import { otsErrorShape } from './ots-errors.js';
import { otsReceiptRoutes } from './ots-receipts.js';
import { otsShareRoutes } from './ots-shares.js';

/** onetimesecret's clients call `<base>/api/v1/…`: the prefix hush's own API has, without a collision. */
export const OTS_PREFIX = '/api/v1';

/**
 * onetimesecret's v1 REST API (docs/api.md, "onetimesecret's v1 API"), so that its clients work
 * against hush unchanged: its paths and fields, bodies form-encoded (as its clients send them) or
 * JSON, HTTP Basic `username:api_token` or anonymous, and its errors (404 `{"message"}` with
 * X-OTS-Intended-Status). Unknown paths below the prefix keep hush's 404.
 */
export const otsSurface = defineSurface<RouteDeps>({
  tag: 'compat: onetimesecret',
  errorShape: otsErrorShape,
  bodyLimits: OTS_BODY_LIMITS,
  routes(surface, deps) {
    // Documented in docs/api.md; hush's OpenAPI document (whose errors are hush's shape, and which
    // the fuzz suites derive their requests from) leaves them out, as it does Vault's.
    surface.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    void surface.register(async (scope) => {
      // Its size is each route's body limit (ots-body-limits.ts); form text is coerced, JSON is not.
      await scope.register(formBody, { parser: parseFormBody });
      scope.setValidatorCompiler(formOrStrictValidatorCompiler);
      const api = scope.withTypeProvider<TypeBoxTypeProvider>();
      otsShareRoutes(api, deps);
      otsReceiptRoutes(api, deps);
    });
  },
});
