import type { EventType } from './audit-types.js';

/**
 * The upper-case names events had before they were namespaced, for what still speaks them: the
 * seed-compatible `/api/event` (CREATE, READ, DELETE, …) and the receipt timeline that the page,
 * the CLI and written clients read. (Migration 0008 keeps its own frozen copy of this table.)
 */
export const LEGACY_EVENT_TYPES: Readonly<Record<EventType, string>> = {
  'share.created': 'CREATE',
  'share.viewed': 'READ',
  'share.burned': 'DELETE',
  'share.expired': 'EXPIRE',
  'share.passphrase_failed': 'PASSPHRASE_FAILED',
  'share.link_key_failed': 'LINK_KEY_FAILED',
  'user.created': 'USER_CREATE',
  'user.deleted': 'USER_DELETE',
  'user.role_changed': 'USER_ROLE_CHANGE',
  'auth.login': 'LOGIN',
  'auth.login_failed': 'LOGIN_FAILED',
  'token.created': 'TOKEN_CREATE',
  'token.renewed': 'TOKEN_RENEW',
  'token.revoked': 'TOKEN_REVOKE',
  'token.reused': 'TOKEN_REUSE',
  'secret.created': 'SECRET_CREATE',
  'secret.read': 'SECRET_READ',
  'secret.updated': 'SECRET_UPDATE',
  'secret.deleted': 'SECRET_DELETE',
  'secret.versions_deleted': 'SECRET_VERSIONS_DELETE',
  'secret.versions_undeleted': 'SECRET_VERSIONS_UNDELETE',
  'secret.versions_destroyed': 'SECRET_VERSIONS_DESTROY',
  'secret.metadata_updated': 'SECRET_METADATA_UPDATE',
  'policy.created': 'POLICY_CREATE',
  'policy.deleted': 'POLICY_DELETE',
  'setting.changed': 'SETTING_CHANGE',
  'key.rotated': 'KEY_ROTATE',
  'key.rewrapped': 'KEY_REWRAP',
  'machine.created': 'MACHINE_CREATE',
  'machine.updated': 'MACHINE_UPDATE',
  'machine.deleted': 'MACHINE_DELETE',
  'machine.secret_id_created': 'MACHINE_SECRET_ID_CREATE',
  'machine.secret_id_revoked': 'MACHINE_SECRET_ID_REVOKE',
  'request.created': 'REQUEST_CREATE',
  'request.answered': 'REQUEST_ANSWER',
  'request.revealed': 'REQUEST_REVEAL',
  'request.burned': 'REQUEST_DELETE',
  'request.expired': 'REQUEST_EXPIRE',
  'webhook.created': 'WEBHOOK_CREATE',
  'webhook.deleted': 'WEBHOOK_DELETE',
};

/** A namespaced type from its old name (READ → share.viewed), for filters written before. */
export const typeOfLegacy = (legacy: string): EventType | undefined =>
  (Object.keys(LEGACY_EVENT_TYPES) as EventType[]).find((type) => LEGACY_EVENT_TYPES[type] === legacy);
