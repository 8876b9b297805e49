import type { Authenticator } from '../../plugins/auth.js';
import type { RouteDeps } from '../../route-types.js';
import type { OpsDeps } from '../ops/ops-surface.js';

/** What the Vault surface is registered with: the services, and the readiness its sys/health reports. */
export interface VaultSurfaceDeps extends RouteDeps, Pick<OpsDeps, 'storageReady' | 'accepting'> {
  /** hush's version, after Vault's API level in sys/health. */
  readonly version: string;
}

/** What its routes get: that, and how a Vault client's token is read (vault-auth.ts). */
export interface VaultDeps extends VaultSurfaceDeps {
  readonly auth: Authenticator;
}
