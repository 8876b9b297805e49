import type { FastifyRequest } from 'fastify';
import type { TokenService } from '../../../auth/token-types.js';
import type { Principal } from '../../../domain/principal.js';
import { HushError } from '../../../errors/hush-error.js';
import { type Authenticator, bearerToken } from '../../plugins/auth.js';

const TOKEN = /^\S+$/;

/**
 * The caller's token as Vault clients send it: `X-Vault-Token` (the Go client, node-vault, Vault
 * Agent), or `Authorization: Bearer` (Vault accepts both). The header wins, as in Vault.
 */
export function vaultToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-vault-token'];
  const text = typeof header === 'string' ? header.trim() : undefined;
  if (text) return TOKEN.test(text) ? text : undefined;
  return bearerToken(request);
}

/**
 * hush's access tokens, read from where Vault clients put them. Every refusal (no token, a bad
 * one, a missing scope, an admin route for a non-admin) ends as Vault's `403 permission denied`
 * (vault-errors.ts): Vault does not say which. Runs on request, before the body is read; a
 * counted token spends one use here, once per request.
 */
export function vaultAuth(tokens: TokenService): Authenticator {
  return (required) => async (request) => {
    const token = vaultToken(request);
    if (!token) throw new HushError('unauthorized');
    const principal: Principal = await tokens.authenticate(token, request.ip);
    request.principal = principal;
    const scope = required?.scope;
    if (scope === undefined) return;
    if (!principal.scopes.includes(scope)) throw new HushError('insufficient_scope');
    if (scope === 'admin' && principal.role !== 'admin') throw new HushError('forbidden');
  };
}
