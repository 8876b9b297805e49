import type { ClientInfo } from '../domain/client-info.js';
import type { Identity, Principal } from '../domain/principal.js';

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
  /** How the principal proved itself, for the audit log: `password`, `github` or `approle`. */
  readonly method: 'password' | 'github' | 'approle';
}

/** A token made by a token (Vault's `auth/token/create`): always within the caller's own. */
export interface CreateForOptions {
  /** Access-token lifetime; bounded by the caller's session's remaining life. */
  readonly ttlSeconds?: number | undefined;
  /** Uses the access token allows (then it has no refresh token). */
  readonly numUses?: number | undefined;
  /** A label kept on the new session (as a sign-in's client_id is). */
  readonly displayName?: string | undefined;
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
   * Signs in a principal that has already proved itself (GitHub vouched for an account, a machine
   * spent a secret_id): its session is stored with its auth.login and token.created events in one
   * step, or not at all. A principal deleted meanwhile fails as a refused sign-in would.
   */
  issue(identity: Identity, options: IssueOptions): Promise<IssuedTokens>;
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
  /**
   * Extends the caller's access token to min(now + (increment ?? its session's access TTL), the
   * session's max TTL), in one store step with its token.renewed event; invalid_token (401) when
   * the token stopped being live meanwhile; bad_request for a token with counted uses, which is
   * not renewable. (Vault's `renew-self`: no refresh token involved.)
   */
  renewAccess(
    principal: Principal,
    incrementSeconds: number | undefined,
    client: ClientInfo,
  ): Promise<{ expiresAt: Date }>;
  /**
   * A new session for the same principal (Vault's `auth/token/create`): the caller's scopes or
   * fewer, never outliving the caller's session; audited token.created. A caller whose token has
   * counted uses is refused (bad_request), before anything is stored; a child with `numUses` gets
   * no refresh token.
   */
  createFor(principal: Principal, options: CreateForOptions, client: ClientInfo): Promise<IssuedTokens>;
}
