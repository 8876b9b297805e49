import { type Kysely, type Migration, sql } from 'kysely';
import type { MigrationDialect } from './migration-dialect.js';

/**
 * The secret store: sessions and tokens, OAuth state, the keyring, secrets and their
 * versions, policies and settings; plus the actor of audit events and the GitHub link of accounts.
 */
export function secretStoreMigration({ time: timeType, blob: blobType }: MigrationDialect): Migration {
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
