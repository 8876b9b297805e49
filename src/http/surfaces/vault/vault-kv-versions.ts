import type { ClientInfo } from '../../../domain/client-info.js';
import type { KvService, SecretRef } from '../../../secrets/kv-types.js';
import type { SecretActor } from '../../../secrets/secret-types.js';
import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { sendEmpty, type TypedApp } from '../../route-types.js';
import { doneIfAbsent, vaultShape } from './vault-errors.js';
import { versionList } from './vault-fields.js';
import { KvVersionsBody, PathParams } from './vault-schemas.js';
import type { VaultDeps } from './vault-types.js';

type VersionsCall = (
  kv: KvService,
) => (actor: SecretActor, ref: SecretRef, versions: readonly number[], client: ClientInfo) => Promise<void>;

/** KV v2's version operations, each `{versions:[…]}` → 204, and which service call does it. */
const OPERATIONS: readonly (readonly [string, string, VersionsCall])[] = [
  ['delete', 'soft-deletes the versions', (kv) => kv.deleteVersions.bind(kv)],
  ['undelete', 'restores soft-deleted versions', (kv) => kv.undeleteVersions.bind(kv)],
  ['destroy', 'erases the versions’ data for good', (kv) => kv.destroyVersions.bind(kv)],
];

/**
 * `secret/delete/<name>`, `secret/undelete/<name>`, `secret/destroy/<name>`: `secrets:write`; a
 * secret that is not there (or not readable) answers 204, as Vault does.
 */
export function vaultKvVersionRoutes(app: TypedApp, deps: VaultDeps): void {
  const write = deps.auth({ scope: 'secrets:write' });
  for (const [operation, what, call] of OPERATIONS) {
    app.route({
      method: ['POST', 'PUT'],
      url: `/secret/${operation}/*`,
      onRequest: write,
      schema: {
        summary: `Vault KV v2 ${operation}: ${what}`,
        params: PathParams,
        body: KvVersionsBody,
        response: vaultShape.responses,
      },
      handler: async (request, reply) => {
        const versions = versionList(request.body.versions);
        const ref = { name: request.params['*'] };
        await doneIfAbsent(call(deps.kv)(principalOf(request), ref, versions, clientInfo(request)));
        return sendEmpty(reply, 204);
      },
    });
  }
}
