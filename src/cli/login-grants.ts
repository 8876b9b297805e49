import { ApiError, createApiCall } from '../client/api-call.js';
import { CliError, EXIT } from './cli-errors.js';
import { timedFetch } from './share-client.js';
import { type IssuedTokens, openTokenApi, type PasswordGrant, tokenFailure } from './token-api.js';

/** The three ways `hush login` signs in: an account's password, a GitHub token, a machine's ids. */
export type LoginGrant =
  | ({ readonly kind: 'password' } & PasswordGrant)
  | { readonly kind: 'github'; readonly githubToken: string }
  | { readonly kind: 'machine'; readonly roleId: string; readonly secretId: string };

/** Signs in at `server`: the token endpoint's answer, or a CliError worded for the grant. */
export async function signInWith(server: string, grant: LoginGrant): Promise<IssuedTokens> {
  if (grant.kind === 'password') {
    const { kind: _, ...password } = grant;
    return openTokenApi(server)
      .create(password)
      .catch((error: unknown) => Promise.reject(tokenFailure(error, 'wrong username or password')));
  }
  const api = createApiCall(server, timedFetch);
  if (grant.kind === 'github') {
    return api<IssuedTokens>('POST', '/api/v1/auth/github/exchange', {
      body: { github_token: grant.githubToken },
    }).catch((error: unknown) => Promise.reject(githubFailure(error)));
  }
  return api<IssuedTokens>('POST', '/api/v1/machines/login', {
    body: { role_id: grant.roleId, secret_id: grant.secretId },
  }).catch((error: unknown) => Promise.reject(machineFailure(error)));
}

/** Who signed in, as far as is known: `label` words it for the message. */
export interface SignedInAs {
  readonly kind: string;
  readonly name: string | undefined;
  readonly role: string | undefined;
  readonly label: string;
  /** The token has counted uses: the server minted no refresh token, so it is never renewed. */
  readonly countedUses: boolean;
}

/**
 * Who the issued token belongs to. A token without a refresh token has counted uses (the server
 * mints none for those, token-minting.ts): asking lookup-self would spend one, and a machine with
 * `token_num_uses: 1` would be left with a dead login, so it is named from the grant instead.
 */
export async function signedInAs(
  server: string,
  grant: LoginGrant,
  issued: IssuedTokens,
): Promise<SignedInAs> {
  if (issued.refresh_token === undefined) {
    const known = { name: undefined, role: undefined, countedUses: true } as const;
    if (grant.kind === 'password') {
      return { ...known, kind: 'user', name: grant.username, label: `${grant.username} (user)` };
    }
    if (grant.kind === 'machine') {
      return { ...known, kind: 'machine', label: `a machine (role_id ${grant.roleId})` };
    }
    return { ...known, kind: 'user', label: 'a GitHub account' };
  }
  const { user } = await openTokenApi(server).lookupSelf(issued.access_token);
  const label = `${user.username} (${user.kind})`;
  return { kind: user.kind, name: user.username, role: user.role, label, countedUses: false };
}

const GITHUB_WORDS: Record<string, string> = {
  github_disabled: 'GitHub sign-in is not configured on this server',
  github_token_invalid: 'GitHub did not accept the token (is it revoked, or missing the read:org scope?)',
  github_not_allowed:
    'no GitHub organisation, team or user mapping on this server grants your GitHub account a role',
};

function githubFailure(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const words = GITHUB_WORDS[error.code];
  if (words) return new CliError(EXIT.refused, words);
  if (error.code === 'bad_request') return new CliError(EXIT.usage, 'stdin does not hold a GitHub token');
  return error;
}

function machineFailure(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  // The server words every failure alike, so a guess at a role id learns nothing.
  if (error.code === 'invalid_grant' || error.code === 'bad_request') {
    return new CliError(
      EXIT.refused,
      'the role id or secret id was refused (unknown, expired, used up, or not allowed from this address)',
    );
  }
  if (error.code === 'route_not_found') {
    return new CliError(EXIT.refused, 'this server has no machine sign-in (it may be an older hush)');
  }
  return error;
}
