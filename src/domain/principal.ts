import type { Actor } from '../audit/audit-types.js';

/** Roles a principal can hold; policies attach capabilities to them. */
export const ROLES = ['admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a token may be used for, below what its principal's role allows: `secrets:read` (read and
 * list secrets), `secrets:write` (create, update, delete), `shares:write` (create one-time shares
 * as their owner, list and burn them), `admin` (users, policies, settings, events; only for
 * admins). Sessions of one's own (lookup-self, list, revoke) need no scope.
 */
export const SCOPES = ['secrets:read', 'secrets:write', 'shares:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** A user account signs in; a machine identity (a service, a CI job) authenticates by itself. */
export const PRINCIPAL_KINDS = ['user', 'machine'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/**
 * Who a policy decision and an audit record are about: the kind and id name the principal for
 * policies, the name is what the audit log shows (as it was at the time).
 */
export interface Identity {
  readonly kind: PrincipalKind;
  readonly id: string;
  readonly name: string;
  /** The principal's role now, not when the token was issued. */
  readonly role: Role;
}

/** The caller behind a valid access token, as surfaces and services see it. */
export interface Principal extends Identity {
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

/** The audit actor of a principal (or of any identity a service acts for). */
export function actorOf(who: Pick<Identity, 'kind' | 'id' | 'name'>): Actor {
  return { kind: who.kind, id: who.id, name: who.name };
}
