import type { ClientInfo } from '../domain/client-info.js';
import type { Principal } from '../domain/principal.js';
import type { User } from './user-types.js';

/** Per-session choices the caller may make when signing in, within the token settings. */
export interface IssueOptions {
  /** Space-separated scopes; omitted means every scope the account's role allows. */
  readonly scope?: string | undefined;
  /** Access token lifetime, at most the `tokens.access_ttl_seconds` setting. */
  readonly ttlSeconds?: number | undefined;
  /** Max TTL of the session, at most `tokens.max_ttl_seconds`. */
  readonly maxTtlSeconds?: number | undefined;
  /** Uses each access token allows; 1 makes a one-time token. */
  readonly maxUses?: number | undefined;
  /** Bind the tokens to the signing-in client's IP address. */
  readonly bindIp?: boolean | undefined;
  /** Bind the tokens to these networks (CIDR notation). */
  readonly boundCidrs?: readonly string[] | undefined;
  /** The OAuth2 client_id, kept as a label on the session. */
  readonly clientId?: string | undefined;
  readonly client: ClientInfo;
  /** How the account proved itself, for the audit log: `password` or `github`. */
  readonly method: 'password' | 'github';
}

/** The OAuth2 token response (RFC 6749 §5.1) plus our session id. */
export interface IssuedTokens {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  /** None for a session with counted uses: its budget is not renewable. */
  readonly refreshToken: string | undefined;
  readonly refreshExpiresIn: number | undefined;
  readonly scope: string;
  readonly sessionId: string;
}

export interface SessionInfo {
  readonly id: string;
  readonly clientId: string | undefined;
  readonly clientIp: string | undefined;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly current: boolean;
}

export interface TokenService {
  /**
   * Signs in an account that has already proved itself (GitHub vouched for it): its session is
   * stored with its auth.login and token.created events in one step, or not at all.
   */
  issue(user: User, options: IssueOptions): Promise<IssuedTokens>;
  /** The password grant: audits LOGIN or LOGIN_FAILED; a wrong password is invalid_grant (400). */
  login(username: string, password: string, options: IssueOptions): Promise<IssuedTokens>;
  /** Rotates a refresh token; a rotated one presented again revokes its whole session. */
  renew(refreshToken: string, client: ClientInfo): Promise<IssuedTokens>;
  /** Revokes the session an access or refresh token belongs to; unknown tokens are no error. */
  revoke(token: string, client: ClientInfo): Promise<void>;
  /** The caller behind a bearer token, or invalid_token (401): spends a use where counted. */
  authenticate(token: string, clientIp: string | undefined): Promise<Principal>;
  listSessions(principal: Principal): Promise<SessionInfo[]>;
  /** Revokes one of the caller's own sessions; not_found for anything else. */
  revokeSession(principal: Principal, sessionId: string, client: ClientInfo): Promise<void>;
  /** Extends the caller's access token (Vault's renew-self), within its session's max TTL. */
  renewAccess(
    principal: Principal,
    incrementSeconds: number | undefined,
    client: ClientInfo,
  ): Promise<{ expiresAt: Date }>;
  /** A new session for the caller, within the caller's rights (Vault's token create). */
  createFor(
    principal: Principal,
    options: { ttlSeconds?: number; numUses?: number; displayName?: string },
    client: ClientInfo,
  ): Promise<IssuedTokens>;
}
