import type { Static } from 'typebox';
import { ApiError, createApiCall } from '../client/api-call.js';
import type { LookupSelfResponse, TokenCreateBody, TokenResponse } from '../http/schemas/token-schemas.js';
import { CliError, EXIT } from './cli-errors.js';
import { timedFetch } from './share-client.js';

type CreateBody = Static<typeof TokenCreateBody>;

/**
 * The password grant: the token endpoint's body (its schema's type) with what this grant needs
 * required, and CIDRs always as a list (the endpoint also takes a comma-separated string).
 */
export type PasswordGrant = Pick<
  CreateBody,
  'scope' | 'ttl_seconds' | 'max_ttl_seconds' | 'max_uses' | 'bind_ip'
> & {
  readonly username: string;
  readonly password: string;
  readonly bound_cidrs?: string[] | undefined;
};

/** The token endpoint's answer as it came, kept for --json (it holds tokens: print only when asked). */
export type IssuedTokens = Static<typeof TokenResponse>;
export type TokenInfo = Static<typeof LookupSelfResponse>;

export interface TokenApi {
  create(grant: PasswordGrant): Promise<IssuedTokens>;
  lookupSelf(accessToken: string): Promise<TokenInfo>;
  revoke(token: string): Promise<void>;
  renew(refreshToken: string): Promise<IssuedTokens>;
}

/**
 * A client of the token endpoints. Failures are ApiError, as the share client's, so cli-errors.ts
 * maps network failures (status 0) and 502–504 to exit code 3; `tokenFailure` words the rest.
 */
export function openTokenApi(base: string): TokenApi {
  const api = createApiCall(base, timedFetch);
  const call = <T extends object>(method: string, path: string, body?: unknown, bearer?: string) =>
    api<T>(method, path, { body, ...(bearer !== undefined && { bearer }) });
  return {
    create: (grant) =>
      call<IssuedTokens>('POST', '/api/v1/token/create', { grant_type: 'password', ...grant }),
    lookupSelf: (accessToken) => call<TokenInfo>('GET', '/api/v1/token/lookup-self', undefined, accessToken),
    revoke: async (token) => {
      await call('POST', '/api/v1/token/revoke', { revoke_token: token });
    },
    renew: (refreshToken) =>
      call<IssuedTokens>('POST', '/api/v1/token/renew', { refresh_token: refreshToken }),
  };
}

/** Request fields the server may name in a refusal, and the flags that set them (longest first). */
const FLAG_OF_FIELD = [
  ['max_ttl_seconds', '--max-ttl'],
  ['ttl_seconds', '--ttl'],
  ['max_uses', '--max-uses'],
  ['bound_cidrs', '--cidr'],
  ['client address', '--bind-ip'],
] as const;

/**
 * The token endpoints' refusals in words a person can act on: invalid_grant means `invalidGrant`
 * (a wrong password, or a spent refresh token), a 401 a token that no longer works.
 */
export function tokenFailure(error: unknown, invalidGrant: string): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 400 && error.code === 'invalid_grant') return new CliError(EXIT.refused, invalidGrant);
  if (error.status === 401) return new CliError(EXIT.refused, 'the token is invalid, expired or revoked');
  if (error.code === 'invalid_scope') {
    return new CliError(
      EXIT.refused,
      '--scope names a scope this account may not have (secrets:read secrets:write admin)',
    );
  }
  const said = error.message.replace(/\.$/, '');
  const flag = error.code === 'bad_request' && FLAG_OF_FIELD.find(([field]) => said.includes(field))?.[1];
  return flag ? new CliError(EXIT.refused, `${flag} was refused by the server: ${said}`) : error;
}
