import { clientInfo } from '../../client-info.js';
import type { TypedApp } from '../../route-types.js';
import { AuthEnvelope, authEnvelope } from './vault-envelope.js';
import { vaultShape } from './vault-errors.js';
import { issuedAuth, vaultSignIn } from './vault-login.js';
import { UsernameParams, UserpassLoginBody } from './vault-schemas.js';
import type { VaultDeps } from './vault-types.js';

/**
 * Vault's userpass login against hush's accounts: the same password sign-in as
 * /api/v1/token/create (Argon2id, the `auth.password_login` setting, auth.login audited, a wrong
 * password a 400), answering Vault's `auth` block. Rate limited like every API route.
 */
export function vaultUserpassRoutes(app: TypedApp, deps: VaultDeps): void {
  const { tokens } = deps;
  app.route({
    method: ['POST', 'PUT'],
    url: '/auth/userpass/login/:username',
    schema: {
      summary: 'Vault userpass login: a hush account’s username and password',
      params: UsernameParams,
      body: UserpassLoginBody,
      response: { 200: AuthEnvelope, ...vaultShape.responses },
    },
    handler: async (request) => {
      const { username } = request.params;
      const issued = await tokens.login(username, request.body.password, vaultSignIn(clientInfo(request)));
      return authEnvelope(request, issuedAuth(issued, { metadata: { username }, numUses: 0 }));
    },
  });
}
