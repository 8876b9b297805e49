import type { Role } from './user-types.js';

/**
 * What a token may be used for, below what its account's role allows: `secrets:read` (read and
 * list secrets), `secrets:write` (create, update, delete), `admin` (users, policies, settings,
 * events; only for admins). Sessions of one's own (lookup-self, list, revoke) need no scope.
 */
export const SCOPES = ['secrets:read', 'secrets:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** The caller behind a valid access token, as routes and services see it. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
  /** The account's role now, not when the token was issued. */
  readonly role: Role;
  readonly sessionId: string;
  /** The public id of the access token (never the token itself). */
  readonly tokenId: string;
  readonly scopes: readonly Scope[];
  /** The access token's own limits, for lookup-self. */
  readonly token: {
    readonly expiresAt: Date;
    readonly sessionExpiresAt: Date;
    /** Uses left after this request; undefined when uses are not counted. */
    readonly usesLeft: number | undefined;
    readonly boundCidrs: readonly string[] | undefined;
  };
}
