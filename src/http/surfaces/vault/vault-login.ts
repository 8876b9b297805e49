import type { Static } from 'typebox';
import type { IssuedTokens } from '../../../auth/token-types.js';
import type { ClientInfo } from '../../../domain/client-info.js';
import type { Principal } from '../../../domain/principal.js';
import type { VaultAuth } from './vault-envelope.js';

/** The label a session signed in through /v1 carries (it shows in /api/v1/token/sessions). */
export const VAULT_CLIENT_ID = 'vault';

/**
 * The Vault policy names a hush token stands for: `default` and the role whose rights it carries.
 * The admin scope is given only to admins, so a token that carries it acts as an admin; any other
 * acts as a user. They name hush's rights; they are not Vault policies and grant nothing by name.
 */
export function policiesOf(scopes: string | readonly string[]): string[] {
  const list = typeof scopes === 'string' ? scopes.split(' ') : scopes;
  return ['default', list.includes('admin') ? 'admin' : 'user'];
}

export interface AuthDetails {
  /** Vault's `auth.metadata`: `{username}` for userpass, `{role_name}` for AppRole. */
  readonly metadata: Readonly<Record<string, string>> | null;
  /** Uses the token allows; 0 = not counted. */
  readonly numUses: number;
}

/** The `auth` block Vault answers for a login or a new token. The refresh token is never sent. */
export function issuedAuth(issued: IssuedTokens, details: AuthDetails): Static<typeof VaultAuth> {
  const policies = policiesOf(issued.scope);
  return {
    client_token: issued.accessToken,
    accessor: issued.sessionId,
    policies,
    token_policies: policies,
    metadata: details.metadata && { ...details.metadata },
    lease_duration: issued.expiresIn,
    // hush renews sessions whose uses are not counted (those are the ones given a refresh token).
    renewable: issued.refreshToken !== undefined,
    entity_id: '',
    token_type: 'service',
    orphan: true,
    num_uses: details.numUses,
    mfa_requirement: null,
  };
}

/** Sign-in options every /v1 login shares. */
export const vaultSignIn = (client: ClientInfo) =>
  ({ client, clientId: VAULT_CLIENT_ID, method: 'password' }) as const;

/** Vault's `metadata` of a principal's token, as userpass and AppRole set it. */
export function principalMetadata(p: Pick<Principal, 'kind' | 'name'>): Record<string, string> {
  return p.kind === 'machine' ? { role_name: p.name } : { username: p.name };
}

/** The `auth` block of a renewal: the caller's own token, its new lifetime. */
export function principalAuth(p: Principal, token: string, expiresAt: Date): Static<typeof VaultAuth> {
  const policies = policiesOf(p.scopes);
  return {
    client_token: token,
    accessor: p.sessionId,
    policies,
    token_policies: policies,
    metadata: principalMetadata(p),
    lease_duration: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
    renewable: p.token.usesLeft === undefined && expiresAt < p.token.sessionExpiresAt,
    entity_id: '',
    token_type: 'service',
    orphan: true,
    num_uses: p.token.usesLeft ?? 0,
    mfa_requirement: null,
  };
}
