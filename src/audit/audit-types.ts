import type { ClientInfo } from '../domain/client-info.js';

export const EVENT_TYPES = [
  'CREATE',
  'READ',
  'DELETE',
  'EXPIRE',
  'PASSPHRASE_FAILED',
  /** A reveal or burn came with a proof that does not match the share's link verifier. */
  'LINK_KEY_FAILED',
  'USER_CREATE',
  'USER_DELETE',
  /** A GitHub sign-in found the account's role changed by the org/team mapping. */
  'USER_ROLE_CHANGE',
  'LOGIN',
  'LOGIN_FAILED',
  'TOKEN_CREATE',
  'TOKEN_RENEW',
  'TOKEN_REVOKE',
  /** A rotated refresh token came back: its whole session was revoked. */
  'TOKEN_REUSE',
  'SECRET_CREATE',
  'SECRET_READ',
  'SECRET_UPDATE',
  'SECRET_DELETE',
  'POLICY_CREATE',
  'POLICY_DELETE',
  'SETTING_CHANGE',
  'KEY_ROTATE',
  /** `hush keys rewrap` moved data keys to the active keyring key (counts only). */
  'KEY_REWRAP',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An audit event. Carries the share id, never a token, secret or passphrase. */
export interface AuditEvent {
  readonly id: string;
  readonly type: EventType;
  readonly shareId: string | undefined;
  readonly clientIp: string | undefined;
  readonly userAgent: string | undefined;
  /** Short machine-readable context, e.g. the end reason of a DELETE. */
  readonly detail: string | undefined;
  /** The username that acted, for account actions; undefined for anonymous share traffic. */
  readonly actor: string | undefined;
  readonly createdAt: Date;
}

export interface NewAuditEvent {
  readonly type: EventType;
  readonly shareId?: string | undefined;
  readonly client?: ClientInfo | undefined;
  readonly detail?: string | undefined;
  readonly actor?: string | undefined;
}

export interface EventFilter {
  readonly type?: EventType | undefined;
  readonly since?: Date | undefined;
  readonly until?: Date | undefined;
}

export interface EventPage {
  readonly total: number;
  readonly events: readonly AuditEvent[];
}
