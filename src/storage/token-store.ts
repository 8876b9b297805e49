import type { AuditEvent } from '../audit/audit-types.js';
import type { PrincipalKind } from '../domain/principal.js';

/** Whom a session belongs to: a principal is named by its kind and id together. */
export interface SessionOwner {
  readonly kind: PrincipalKind;
  readonly id: string;
}

/** A session (one sign-in): the family its tokens belong to. Times are epoch milliseconds. */
export interface SessionRecord {
  readonly id: string;
  /** The id of the principal the session belongs to (an account's or a machine identity's). */
  readonly userId: string;
  /** Whose id `userId` is; 'user' when not given. */
  readonly principalKind?: PrincipalKind | undefined;
  readonly clientId: string | undefined;
  readonly clientIp: string | undefined;
  /** The access-token lifetime chosen at sign-in, kept by every renewal. */
  readonly accessTtlSeconds: number;
  readonly createdAt: number;
  /** Max TTL: no token of the session is valid past it. */
  readonly expiresAt: number;
  readonly revokedAt: number | undefined;
}

export type TokenKind = 'access' | 'refresh';

/** A token as stored: only the hash of what the client holds. */
export interface TokenRecord {
  readonly id: string;
  readonly hash: string;
  readonly kind: TokenKind;
  readonly sessionId: string;
  readonly scope: string;
  /** CIDRs the token may be used from; undefined for anywhere. */
  readonly boundCidrs: readonly string[] | undefined;
  readonly maxUses: number | undefined;
  readonly uses: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | undefined;
  readonly rotatedAt: number | undefined;
}

/** The principal a session belongs to, as it is now (an account's username, a machine's name). */
export interface LookupPrincipal {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

/** A token with its session and principal, as one lookup finds them. */
export interface TokenLookup {
  readonly token: TokenRecord;
  readonly session: SessionRecord;
  readonly principal: LookupPrincipal;
}

export type RotateOutcome =
  | { readonly outcome: 'rotated'; readonly found: TokenLookup }
  /** The token had been rotated already: the store revoked its session in the same step. */
  | { readonly outcome: 'reused'; readonly found: TokenLookup }
  | { readonly outcome: 'invalid' };

/** The audit events of a rotation, one set per outcome; only the set of the outcome is stored. */
export interface RotateEvents {
  readonly rotated: readonly AuditEvent[];
  readonly reused: readonly AuditEvent[];
}

/**
 * Sessions and tokens (SQL on every backend). Methods that change a session take the audit events
 * of the change and store them in the same atomic step, so no change lands without its event.
 */
export interface TokenStore {
  /**
   * Stores a new session with its first tokens and `events`, all or nothing, if its principal (the
   * account or machine identity of its kind and id) still exists, checked in the same step; false
   * (and nothing stored) when it is gone, also when a concurrent deletion of it commits first, on
   * any node. A deletion that commits after it deletes the session with the principal.
   */
  createSession(
    session: SessionRecord,
    tokens: readonly TokenRecord[],
    events?: readonly AuditEvent[],
  ): Promise<boolean>;
  /**
   * The token with this hash, its session and principal (an account for kind `user`, a machine
   * identity for kind `machine`); undefined when unknown, or when its principal is gone.
   */
  find(hash: string): Promise<TokenLookup | undefined>;
  /**
   * Spends one use of a counted token. Guarantee: under concurrent calls from any number of nodes,
   * exactly `maxUses` calls return true over the token's life; it also returns false once the
   * token or its session is revoked or expired at `now`.
   */
  spendUse(tokenId: string, now: number): Promise<boolean>;
  /**
   * Sets a live access token's expiry to `expiresAt` (the caller keeps it within the session's max
   * TTL) with `events`, in one atomic step; false (and no events) when it is no access token, or it
   * or its session is revoked or expired at `now`.
   */
  extendAccess(
    tokenId: string,
    expiresAt: number,
    now: number,
    events?: readonly AuditEvent[],
  ): Promise<boolean>;
  /**
   * Rotates a refresh token: if it is live at `now`, marks it spent and stores `replacements` (the
   * session's next tokens) in the same atomic step, so a failure leaves the old token usable.
   * Guarantee: of concurrent calls with one token, from any number of nodes, exactly one gets
   * `rotated`. A token already rotated gets `reused`, and its whole session is revoked in the same
   * atomic step.
   */
  rotateRefresh(
    hash: string,
    now: number,
    replacements: readonly TokenRecord[],
    events?: RotateEvents,
  ): Promise<RotateOutcome>;
  /**
   * Revokes a session and so every token in it, with `events`; false (and no events) when it did
   * not exist or was revoked already.
   */
  revokeSession(sessionId: string, now: number, events?: readonly AuditEvent[]): Promise<boolean>;
  /**
   * Revokes every live session of the accounts that sign in with GitHub (user sessions only: a
   * machine identity never shares their role mapping), and stores the events
   * `eventsFor(count)` returns when there were any, in one atomic step; returns how many.
   */
  revokeGithubSessions(now: number, eventsFor: (revoked: number) => readonly AuditEvent[]): Promise<number>;
  /**
   * The sessions of `owner` (kind and id: a machine's are not those of an account with the same
   * id) not revoked and not past their max TTL at `now`, newest first.
   */
  listSessions(owner: SessionOwner, now: number): Promise<SessionRecord[]>;
  /** Deletes up to `limit` sessions that ended (expired or revoked) before `before`; returns how many. */
  purgeEnded(before: number, limit: number): Promise<number>;
}
