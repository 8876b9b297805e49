import type { ClientInfo } from '../shares/share-types.js';

export const EVENT_TYPES = [
  'CREATE',
  'READ',
  'DELETE',
  'EXPIRE',
  'PASSPHRASE_FAILED',
  'USER_CREATE',
  'USER_DELETE',
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
  readonly createdAt: Date;
}

export interface NewAuditEvent {
  readonly type: EventType;
  readonly shareId?: string | undefined;
  readonly client?: ClientInfo | undefined;
  readonly detail?: string | undefined;
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
