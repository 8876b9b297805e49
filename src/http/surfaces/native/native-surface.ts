import { bearerAuth } from '../../plugins/auth.js';
import { hushErrorShape } from '../../plugins/error-shapes.js';
import type { RouteDeps } from '../../route-types.js';
import { defineSurface } from '../surface.js';
import { downloadRoutes } from './downloads.js';
import { eventRoutes } from './events.js';
import { githubRoutes } from './github.js';
import { kvRoutes } from './kv.js';
import { machineRoutes } from './machines.js';
import { NATIVE_BODY_LIMITS } from './native-body-limits.js';
import { policyRoutes } from './policies.js';
import { receiptRoutes } from './receipts.js';
import { secretRoutes } from './secrets.js';
import { settingRoutes } from './settings.js';
import { shareRoutes } from './shares.js';
import { tokenRoutes } from './tokens.js';
import { uploadRoutes } from './uploads.js';
import { userRoutes } from './users.js';

export const NATIVE_PREFIX = '/api/v1';

/** hush's own API: shares, receipts, accounts, tokens, the secret store, settings, events. */
export const nativeSurface = defineSurface<RouteDeps>({
  tag: 'native',
  errorShape: hushErrorShape,
  bodyLimits: NATIVE_BODY_LIMITS,
  routes(surface, deps) {
    // Bearer access tokens from POST /api/v1/token/create.
    const api = { ...deps, auth: bearerAuth(deps.tokens) };
    shareRoutes(surface, api);
    uploadRoutes(surface, api);
    downloadRoutes(surface, api);
    receiptRoutes(surface, api);
    eventRoutes(surface, api);
    tokenRoutes(surface, api);
    githubRoutes(surface, api);
    userRoutes(surface, api);
    machineRoutes(surface, api);
    policyRoutes(surface, api);
    secretRoutes(surface, api);
    kvRoutes(surface, api);
    settingRoutes(surface, api);
  },
});
