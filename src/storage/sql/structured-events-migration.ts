import type { Kysely, Migration } from 'kysely';
import type { MigrationDialect } from './migration-dialect.js';

/** The old upper-case event types and the namespaced ones they became (0008). */
const RENAMED_EVENT_TYPES: readonly (readonly [string, string])[] = [
  ['CREATE', 'share.created'],
  ['READ', 'share.viewed'],
  ['DELETE', 'share.burned'],
  ['EXPIRE', 'share.expired'],
  ['PASSPHRASE_FAILED', 'share.passphrase_failed'],
  ['LINK_KEY_FAILED', 'share.link_key_failed'],
  ['USER_CREATE', 'user.created'],
  ['USER_DELETE', 'user.deleted'],
  ['USER_ROLE_CHANGE', 'user.role_changed'],
  ['LOGIN', 'auth.login'],
  ['LOGIN_FAILED', 'auth.login_failed'],
  ['TOKEN_CREATE', 'token.created'],
  ['TOKEN_RENEW', 'token.renewed'],
  ['TOKEN_REVOKE', 'token.revoked'],
  ['TOKEN_REUSE', 'token.reused'],
  ['SECRET_CREATE', 'secret.created'],
  ['SECRET_READ', 'secret.read'],
  ['SECRET_UPDATE', 'secret.updated'],
  ['SECRET_DELETE', 'secret.deleted'],
  ['POLICY_CREATE', 'policy.created'],
  ['POLICY_DELETE', 'policy.deleted'],
  ['SETTING_CHANGE', 'setting.changed'],
  ['KEY_ROTATE', 'key.rotated'],
  ['KEY_REWRAP', 'key.rewrapped'],
];

/**
 * The old row's columns (type, share_id, detail, actor: a username) as the new ones, in one SELECT
 * list both dialects run: what differs is only how a JSON object is built and how the secret id is
 * cut off the front of a detail like `<id> v2`.
 */
function structuredEventValues(dialect: MigrationDialect): Record<string, string> {
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const json = (key: string) => dialect.jsonObject(key, 'detail');
  const secret = `type like 'SECRET\\_%' escape '\\' and detail is not null`;
  return {
    type: `case type ${RENAMED_EVENT_TYPES.map(([from, to]) => `when ${quote(from)} then ${quote(to)}`).join(' ')} else type end`,
    actor_kind: `case when actor is not null then 'user'
      when type in ('CREATE', 'READ', 'DELETE', 'PASSPHRASE_FAILED', 'LINK_KEY_FAILED', 'LOGIN_FAILED') then 'anonymous'
      else 'system' end`,
    actor_id: `(select u.id from users u where u.username = events.actor)`,
    actor_name: 'actor',
    subject_kind: `case when share_id is not null then 'share' when ${secret} then 'secret' end`,
    subject_id: `case when share_id is not null then share_id when ${secret} then ${dialect.firstWord('detail')} end`,
    data: `case when detail is null then '{}' when type = 'DELETE' then ${json('reason')} else ${json('detail')} end`,
  };
}

/**
 * Structured audit events: namespaced types, an actor {kind, id, name}, a
 * subject {kind, id}, a JSON `data` object and the request id; ids become unique (a batch moved
 * in twice from the Redis outbox is skipped) and a subject's events are read along their own
 * index. Existing rows are mapped into the new shape (each dialect's restructureEvents).
 */
export function structuredEventsMigration(dialect: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await dialect.restructureEvents(db, structuredEventValues(dialect));
      await db.schema.createIndex('events_id').on('events').column('id').unique().execute();
      await db.schema
        .createIndex('events_subject')
        .on('events')
        .columns(['subject_kind', 'subject_id', 'seq'])
        .execute();
    },
    // No down: the old shape has no place for actors, subjects and data.
  };
}
