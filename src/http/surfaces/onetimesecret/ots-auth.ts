import type { FastifyRequest } from 'fastify';
import type { TokenService } from '../../../auth/token-types.js';
import type { Principal } from '../../../domain/principal.js';
import { HushError } from '../../../errors/hush-error.js';

/** Who calls: an account (its username) or nobody (onetimesecret's `anon`). */
export type OtsCaller =
  | { readonly kind: 'account'; readonly username: string; readonly principal: Principal }
  | { readonly kind: 'anonymous' };

export const ANONYMOUS: OtsCaller = { kind: 'anonymous' };

const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i;

/**
 * onetimesecret's credential: HTTP Basic `username:api_token`, where the api_token is a hush access
 * token of that account. No header, or an empty username and token (what its clients send when
 * configured without an account), is anonymous. Anything else that does not check out is refused:
 * a token of another account than the username named, too.
 */
export async function otsCaller(request: FastifyRequest, tokens: TokenService): Promise<OtsCaller> {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return ANONYMOUS;
  const encoded = BASIC.exec(header)?.[1];
  if (encoded === undefined) throw new HushError('unauthorized');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new HushError('unauthorized');
  const username = decoded.slice(0, colon);
  const token = decoded.slice(colon + 1);
  if (username === '' && token === '') return ANONYMOUS;
  if (username === '' || token === '') throw new HushError('unauthorized');
  const principal = await tokens.authenticate(token, request.ip);
  if (principal.kind !== 'user' || principal.name !== username) throw new HushError('unauthorized');
  return { kind: 'account', username: principal.name, principal };
}

/** onetimesecret's `custid`: the account's username, or `anon`. */
export const custidOf = (caller: OtsCaller) => (caller.kind === 'account' ? caller.username : 'anon');

/**
 * The creator of a share made through this API: an account's principal, which must carry the
 * shares:write scope (as on hush's own API), or nobody.
 */
export function otsCreator(caller: OtsCaller): Principal | undefined {
  return caller.kind === 'anonymous' ? undefined : otsOwner(caller);
}

/** An account acting on its own shares (recent, receipts and burns by share id): shares:write, as on hush's API. */
export function otsOwner(caller: OtsCaller & { kind: 'account' }): Principal {
  if (!caller.principal.scopes.includes('shares:write')) throw new HushError('insufficient_scope');
  return caller.principal;
}
