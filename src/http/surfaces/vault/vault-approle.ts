import { HushError } from '../../../errors/hush-error.js';
import { clientInfo } from '../../client-info.js';
import type { TypedApp } from '../../route-types.js';
import { AuthEnvelope, authEnvelope } from './vault-envelope.js';
import { vaultShape } from './vault-errors.js';
import { issuedAuth } from './vault-login.js';
import { ApproleLoginBody } from './vault-schemas.js';
import type { VaultDeps } from './vault-types.js';

/**
 * Vault's AppRole login against hush's machine identities: role_id + secret_id → a token, with
 * the secret_id's use spent atomically (MachineService.login). Every failure is the same 400,
 * whichever part was wrong. Rate limited like every API route.
 */
export function vaultApproleLoginRoutes(app: TypedApp, deps: VaultDeps): void {
  const { machines } = deps;
  app.route({
    method: ['POST', 'PUT'],
    url: '/auth/approle/login',
    schema: {
      summary: 'Vault AppRole login: a machine identity’s role_id and secret_id',
      body: ApproleLoginBody,
      response: { 200: AuthEnvelope, ...vaultShape.responses },
    },
    handler: async (request) => {
      const { role_id: roleId, secret_id: secretId } = request.body;
      // hush binds every role to a secret_id (Vault's bind_secret_id, always on).
      if (!secretId) throw new HushError('bad_request', 'missing secret_id');
      const { machine, ...issued } = await machines.login(roleId, secretId, clientInfo(request));
      return authEnvelope(
        request,
        issuedAuth(issued, { metadata: { role_name: machine.name }, numUses: machine.tokenNumUses }),
      );
    },
  });
}
