import type { ClientInfo } from '../domain/client-info.js';

/** Event types, namespaced by what they are about: a prefix (`share.`) selects a family. */
export const EVENT_TYPES = [
  'share.created',
  'share.viewed',
  /** Ended before its time: `data.reason` is burned, burned_by_sender or passphrase_attempts. */
  'share.burned',
  'share.expired',
  'share.passphrase_failed',
  /** A reveal or burn came with a proof that does not match the share's link verifier. */
  'share.link_key_failed',
  'user.created',
  'user.deleted',
  /** A GitHub sign-in found the account's role changed by the org/team mapping. */
  'user.role_changed',
  'auth.login',
  'auth.login_failed',
  'token.created',
  'token.renewed',
  'token.revoked',
  /** A rotated refresh token came back: its whole session was revoked. */
  'token.reused',
  'secret.created',
  'secret.read',
  'secret.updated',
  'secret.deleted',
  /** KV v2: versions soft-deleted, undeleted, destroyed (`data.versions`: "1,3"), settings changed. */
  'secret.versions_deleted',
  'secret.versions_undeleted',
  'secret.versions_destroyed',
  'secret.metadata_updated',
  'policy.created',
  'policy.deleted',
  'setting.changed',
  'key.rotated',
  /** `hush keys rewrap` moved data keys to the active keyring key (counts only). */
  'key.rewrapped',
  'machine.created',
  /** Its settings changed: `data` names the fields. */
  'machine.updated',
  'machine.deleted',
  /** A secret_id was made for it (`subject` is the machine, `data.accessor` the secret_id's). */
  'machine.secret_id_created',
  'machine.secret_id_revoked',
  /** Secret requests (reverse shares): made, answered by the responder, revealed by the requester. */
  'request.created',
  'request.answered',
  'request.revealed',
  /** Ended before its time: `data.reason` is burned or burned_by_owner. */
  'request.burned',
  'request.expired',
  /** A webhook endpoint was registered or removed (`subject` is the endpoint). */
  'webhook.created',
  'webhook.deleted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ACTOR_KINDS = ['user', 'machine', 'anonymous', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/**
 * Who acted. `user` and `machine` name a principal by id and name (the name as it was then);
 * `anonymous` is share traffic, `system` the CLI on the server, first start and the sweeper.
 */
export interface Actor {
  readonly kind: ActorKind;
  readonly id: string | undefined;
  readonly name: string | undefined;
}

export const SUBJECT_KINDS = [
  'share',
  'secret',
  'user',
  'machine',
  'session',
  'policy',
  'setting',
  'key',
  'request',
  'webhook',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** What an event is about. */
export interface Subject {
  readonly kind: SubjectKind;
  readonly id: string;
}

/**
 * Context of an event as a flat JSON object: reasons, names, counts, versions. Never a value,
 * passphrase, token or ciphertext.
 */
export type EventData = Readonly<Record<string, string | number | boolean | null>>;

/** An audit event, never carrying a token, secret or passphrase. */
export interface AuditEvent {
  readonly id: string;
  /** Grows with every stored event, on every node; undefined until the event is stored. */
  readonly seq: number | undefined;
  readonly type: EventType;
  readonly actor: Actor;
  readonly subject: Subject | undefined;
  readonly data: EventData;
  readonly clientIp: string | undefined;
  readonly userAgent: string | undefined;
  readonly requestId: string | undefined;
  readonly createdAt: Date;
}

export interface NewAuditEvent {
  readonly type: EventType;
  /** Defaults to anonymous when a client is given (a request without a principal), else system. */
  readonly actor?: Actor | undefined;
  readonly subject?: Subject | undefined;
  readonly data?: EventData | undefined;
  readonly client?: ClientInfo | undefined;
}

export interface EventFilter {
  /** An exact type, or a family when it ends with a dot (`share.`). */
  readonly type?: string | undefined;
  /** The actor's id or name. */
  readonly actor?: string | undefined;
  readonly actorKind?: ActorKind | undefined;
  readonly subjectKind?: SubjectKind | undefined;
  readonly subject?: string | undefined;
  readonly since?: Date | undefined;
  readonly until?: Date | undefined;
}

export interface EventPage {
  readonly total: number;
  readonly events: readonly AuditEvent[];
}

export const SYSTEM: Actor = { kind: 'system', id: undefined, name: undefined };
export const ANONYMOUS: Actor = { kind: 'anonymous', id: undefined, name: undefined };
