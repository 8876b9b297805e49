import { bearerAuth } from '../../plugins/auth.js';
import { hushErrorShape } from '../../plugins/error-shapes.js';
import type { RouteDeps } from '../../route-types.js';
import { defineSurface } from '../surface.js';
import { COMPAT_BODY_LIMITS } from './compat-body-limits.js';
import { oneTimeSecretRoutes } from './one-time-secret.js';
import { secretManagerRoutes } from './secret-manager.js';

/** The seeds' own paths (`/api/secret`, `/generate`), at the root as they documented them. */
export const COMPAT_PREFIX = '';

/**
 * The documented APIs of the services hush stands in for (docs/api.md, "Compatible APIs"), with
 * their paths and response shapes; errors keep hush's shape, a documented difference.
 */
export const compatSurface = defineSurface<RouteDeps>({
  tag: 'compat',
  errorShape: hushErrorShape,
  bodyLimits: COMPAT_BODY_LIMITS,
  routes(surface, deps) {
    // Only the secret-manager event log needs a caller: an admin's bearer access token.
    const api = { ...deps, auth: bearerAuth(deps.tokens) };
    secretManagerRoutes(surface, api);
    oneTimeSecretRoutes(surface, api);
  },
});
