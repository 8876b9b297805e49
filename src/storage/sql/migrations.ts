import { type Kysely, type Migration, sql } from 'kysely';
import { usernameSkeleton } from '../username-skeleton.js';

/**
 * Migrations whose tables are the same on SQLite and PostgreSQL but for the type of epoch-ms times
 * (SQLite's integer is 64-bit; PostgreSQL needs bigint). Each backend lists them under one name.
 */
export type TimeType = 'integer' | 'bigint';

export const metaMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table meta`.execute(db);
  },
};

export function usersMigration(timeType: TimeType): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', timeType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table users`.execute(db);
    },
  };
}

/**
 * The secret store (seed 003): sessions and tokens, OAuth state, the keyring, secrets and their
 * versions, policies and settings; plus the actor of audit events and the GitHub link of accounts.
 * `blobType` is blob on SQLite, bytea on PostgreSQL.
 */
export function secretStoreMigration(timeType: TimeType, blobType: 'blob' | 'bytea'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('events').addColumn('actor', 'text').execute();
      await db.schema.alterTable('users').addColumn('github_id', 'text').execute();
      await db.schema.createIndex('users_github_id').on('users').column('github_id').unique().execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('client_id', 'text')
        .addColumn('client_ip', 'text')
        .addColumn('access_ttl_seconds', 'integer', (c) => c.notNull())
        .addColumn('created_at', timeType, (c) => c.notNull())
        .addColumn('expires_at', timeType, (c) => c.notNull())
        .addColumn('revoked_at', timeType)
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('bound_cidrs', 'text')
        .addColumn('max_uses', 'integer')
        .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', timeType, (c) => c.notNull())
        .addColumn('expires_at', timeType, (c) => c.notNull())
        .addColumn('revoked_at', timeType)
        .addColumn('rotated_at', timeType)
        .execute();
      await db.schema.createIndex('tokens_session').on('tokens').column('session_id').execute();

      await db.schema
        .createTable('oauth_states')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('created_at', timeType, (c) => c.notNull())
        .addColumn('expires_at', timeType, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('keyring')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('wrapped_key', blobType, (c) => c.notNull())
        .addColumn('created_at', timeType, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('secrets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('current_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', timeType, (c) => c.notNull())
        .addColumn('updated_at', timeType, (c) => c.notNull())
        .addColumn('expires_at', timeType)
        .execute();
      await db.schema.createIndex('secrets_expires').on('secrets').column('expires_at').execute();

      await db.schema
        .createTable('secret_versions')
        .addColumn('secret_id', 'text', (c) => c.notNull().references('secrets.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('ciphertext', blobType, (c) => c.notNull())
        .addColumn('wrapped_key', blobType, (c) => c.notNull())
        .addColumn('key_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', timeType, (c) => c.notNull())
        .addPrimaryKeyConstraint('secret_versions_pk', ['secret_id', 'version'])
        .execute();
      await db.schema
        .createIndex('secret_versions_key')
        .on('secret_versions')
        .column('key_version')
        .execute();

      await db.schema
        .createTable('policies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('capabilities', 'text', (c) => c.notNull())
        .addColumn('created_at', timeType, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('policies_subject')
        .on('policies')
        .columns(['subject_type', 'subject'])
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', timeType, (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['settings', 'policies', 'secret_versions', 'secrets', 'keyring']) {
        await sql`drop table ${sql.table(table)}`.execute(db);
      }
      for (const table of ['oauth_states', 'tokens', 'sessions']) {
        await sql`drop table ${sql.table(table)}`.execute(db);
      }
      await sql`drop index users_github_id`.execute(db);
      await db.schema.alterTable('users').dropColumn('github_id').execute();
      await db.schema.alterTable('events').dropColumn('actor').execute();
    },
  };
}

/**
 * The link verifier of a share (issue 12, point 6): the SHA-256 of a value the client derived from
 * its link key, checked before a view is claimed. Nullable: older shares and shares sent in the
 * clear have none and reveal as before.
 */
export const shareKeyCheckMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('shares').addColumn('key_check_hash', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('shares').dropColumn('key_check_hash').execute();
  },
};

/**
 * The UTS #39 skeleton of each local account's username, unique, so that two names that look
 * alike cannot both be created, not even by two concurrent creates. Existing accounts are given
 * theirs, oldest first; an account whose name looks like an older one's (made before this rule)
 * keeps working with no skeleton of its own. GitHub accounts have none: GitHub keeps their names
 * unique, and refusing one would lock a real GitHub user out.
 */
export const usernameSkeletonMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('username_skeleton', 'text').execute();
    // biome-ignore lint/suspicious/noExplicitAny: the migration sees the table as it is now
    const users = db as Kysely<any>;
    const rows: { id: string; username: string }[] = await users
      .selectFrom('users')
      .select(['id', 'username'])
      .where('github_id', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const seen = new Set<string>();
    for (const row of rows) {
      const skeleton = usernameSkeleton(row.username);
      if (seen.has(skeleton)) continue;
      seen.add(skeleton);
      await users
        .updateTable('users')
        .set({ username_skeleton: skeleton })
        .where('id', '=', row.id)
        .execute();
    }
    await db.schema
      .createIndex('users_username_skeleton')
      .on('users')
      .column('username_skeleton')
      .unique()
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index users_username_skeleton`.execute(db);
    await db.schema.alterTable('users').dropColumn('username_skeleton').execute();
  },
};

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
function structuredEventValues(dialect: 'sqlite' | 'postgres') {
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const json = (key: string) =>
    dialect === 'sqlite' ? `json_object('${key}', detail)` : `json_build_object('${key}', detail)::text`;
  const firstWord =
    dialect === 'sqlite' ? `substr(detail, 1, instr(detail || ' ', ' ') - 1)` : `split_part(detail, ' ', 1)`;
  const secret = `type like 'SECRET\\_%' escape '\\' and detail is not null`;
  return {
    type: `case type ${RENAMED_EVENT_TYPES.map(([from, to]) => `when ${quote(from)} then ${quote(to)}`).join(' ')} else type end`,
    actor_kind: `case when actor is not null then 'user'
      when type in ('CREATE', 'READ', 'DELETE', 'PASSPHRASE_FAILED', 'LINK_KEY_FAILED', 'LOGIN_FAILED') then 'anonymous'
      else 'system' end`,
    actor_id: `(select u.id from users u where u.username = events.actor)`,
    actor_name: 'actor',
    subject_kind: `case when share_id is not null then 'share' when ${secret} then 'secret' end`,
    subject_id: `case when share_id is not null then share_id when ${secret} then ${firstWord} end`,
    data: `case when detail is null then '{}' when type = 'DELETE' then ${json('reason')} else ${json('detail')} end`,
  };
}

/**
 * Structured audit events (issue 13, point 5): namespaced types, an actor {kind, id, name}, a
 * subject {kind, id}, a JSON `data` object and the request id; ids become unique (a batch moved
 * in twice from the Redis outbox is skipped) and a subject's events are read along their own
 * index. Existing rows are mapped into the new shape. SQLite rebuilds the table so that `seq`
 * becomes AUTOINCREMENT: a plain rowid is reused once the newest rows are purged, and a consumer's
 * cursor must never see a seq again. PostgreSQL's identity column already never reuses one.
 */
export function structuredEventsMigration(dialect: 'sqlite' | 'postgres'): Migration {
  const values = structuredEventValues(dialect);
  const columns = Object.keys(values);
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'sqlite') {
        await sql`create table events_new (
          seq integer primary key autoincrement,
          id text not null,
          type text not null,
          actor_kind text not null,
          actor_id text,
          actor_name text,
          subject_kind text,
          subject_id text,
          data text not null,
          client_ip text,
          user_agent text,
          request_id text,
          created_at integer not null)`.execute(db);
        await sql
          .raw(
            `insert into events_new (seq, id, ${columns.join(', ')}, client_ip, user_agent, created_at)
             select seq, id, ${Object.values(values).join(', ')}, client_ip, user_agent, created_at
             from events order by seq`,
          )
          .execute(db);
        await sql`drop table events`.execute(db);
        await sql`alter table events_new rename to events`.execute(db);
        await db.schema.createIndex('events_created').on('events').column('created_at').execute();
        await db.schema
          .createIndex('events_type_created')
          .on('events')
          .columns(['type', 'created_at'])
          .execute();
      } else {
        await sql
          .raw(
            `alter table events ${columns
              .filter((c) => c !== 'type')
              .map((c) => `add column ${c} text`)
              .join(', ')}, add column request_id text`,
          )
          .execute(db);
        const set = Object.entries(values).map(([column, value]) => `${column} = ${value}`);
        await sql.raw(`update events set ${set.join(', ')}`).execute(db);
        await sql`alter table events drop column share_id, drop column detail, drop column actor,
          alter column actor_kind set not null, alter column data set not null`.execute(db);
      }
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

/**
 * Sessions belong to a principal, kind and id (issue 13, point 6): every existing one is a user's.
 * `user_id` keeps the id (and its cascade from accounts) until machine identities bring their own.
 */
export const sessionPrincipalKindMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('sessions')
      .addColumn('principal_kind', 'text', (c) => c.notNull().defaultTo('user'))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('sessions').dropColumn('principal_kind').execute();
  },
};
