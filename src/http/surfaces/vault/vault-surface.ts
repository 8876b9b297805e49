import type { onRequestHookHandler } from 'fastify';
import { HushError } from '../../../errors/hush-error.js';
import { defineSurface } from '../surface.js';
import { vaultApproleLoginRoutes } from './vault-approle.js';
import { vaultApproleRoleRoutes } from './vault-approle-roles.js';
import { vaultAuth } from './vault-auth.js';
import { acceptVaultBodies } from './vault-body.js';
import { VAULT_BODY_LIMITS } from './vault-body-limits.js';
import { vaultNotFound, vaultShape } from './vault-errors.js';
import { vaultKvDataRoutes } from './vault-kv-data.js';
import { vaultKvMetadataRoutes } from './vault-kv-metadata.js';
import { vaultKvVersionRoutes } from './vault-kv-versions.js';
import { vaultSysRoutes } from './vault-sys.js';
import { vaultTokenRoutes } from './vault-token.js';
import type { VaultSurfaceDeps } from './vault-types.js';
import { vaultUserpassRoutes } from './vault-userpass.js';

export const VAULT_PREFIX = '/v1';

/**
 * What a Vault client may ask that hush does not do, refused before anything else rather than
 * answered as if it had been done: a namespace other than the root, or a wrapped response.
 */
const refuseUnsupported: onRequestHookHandler = (request, _reply, done) => {
  const namespace = request.headers['x-vault-namespace'];
  if (typeof namespace === 'string' && !['', 'root', 'root/'].includes(namespace.trim())) {
    done(new HushError('bad_request', 'Namespaces are not supported by hush.'));
    return;
  }
  if (request.headers['x-vault-wrap-ttl'] !== undefined) {
    done(new HushError('bad_request', 'Response wrapping is not supported by hush.'));
    return;
  }
  done();
};

/**
 * The Vault-compatible API (docs/vault.md): hush's accounts, machine identities, tokens, path
 * policies and secret store, as Vault clients (the `vault` CLI, Vault Agent, node-vault, hvac)
 * talk to them. Vault's token headers, error shape and statuses, envelope, and body parsing.
 */
export const vaultSurface = defineSurface<VaultSurfaceDeps>({
  tag: 'vault',
  errorShape: vaultShape,
  bodyLimits: VAULT_BODY_LIMITS,
  routes(surface, deps) {
    // Vault's own API reference describes these routes; hush's OpenAPI document (whose errors
    // are hush's shape, and which the fuzz suites derive their requests from) leaves them out.
    surface.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    acceptVaultBodies(surface);
    surface.addHook('onRequest', refuseUnsupported);
    surface.setNotFoundHandler(vaultNotFound);

    const api = { ...deps, auth: vaultAuth(deps.tokens) };
    vaultSysRoutes(surface, api);
    vaultTokenRoutes(surface, api);
    vaultUserpassRoutes(surface, api);
    vaultApproleLoginRoutes(surface, api);
    vaultApproleRoleRoutes(surface, api);
    vaultKvDataRoutes(surface, api);
    vaultKvMetadataRoutes(surface, api);
    vaultKvVersionRoutes(surface, api);
  },
});
