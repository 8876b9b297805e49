import { ApiError, createApiCall } from '../client/api-call.js';
import { CliError, EXIT } from './cli-errors.js';
import { timedFetch } from './share-client.js';

/** The password grant's options, in the API's own field names (src/http/schemas/token-schemas.ts). */
export interface PasswordGrant {
  readonly username: string;
  readonly password: string;
  readonly scope?: string | undefined;
  readonly ttl_seconds?: number | undefined;
  readonly max_ttl_seconds?: number | undefined;
  readonly max_uses?: number | undefined;
  readonly bind_ip?: boolean | undefined;
  readonly bound_cidrs?: readonly string[] | undefined;
}

/** The API's JSON as it came, kept for --json (it holds tokens: print only when asked). */
export type TokenJson = Record<string, unknown>;

export interface TokenApi {
  create(grant: PasswordGrant): Promise<TokenJson>;
  lookupSelf(accessToken: string): Promise<TokenJson>;
  revoke(token: string): Promise<void>;
  renew(refreshToken: string): Promise<TokenJson>;
}

/**
 * A client of the token endpoints. Failures are ApiError, as the share client's, so cli-errors.ts
 * maps network failures (status 0) and 502–504 to exit code 3; `tokenFailure` words the rest.
 */
export function openTokenApi(base: string): TokenApi {
  const api = createApiCall(base, timedFetch);
  const call = (method: string, path: string, body?: unknown, bearer?: string) =>
    api(method, path, { body, ...(bearer !== undefined && { bearer }) });
  return {
    create: (grant) => call('POST', '/api/v1/token/create', { grant_type: 'password', ...grant }),
    lookupSelf: (accessToken) => call('GET', '/api/v1/token/lookup-self', undefined, accessToken),
    revoke: async (token) => {
      await call('POST', '/api/v1/token/revoke', { revoke_token: token });
    },
    renew: (refreshToken) => call('POST', '/api/v1/token/renew', { refresh_token: refreshToken }),
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
