import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import {
  metaMigration,
  secretStoreMigration,
  sessionPrincipalKindMigration,
  shareKeyCheckMigration,
  structuredEventsMigration,
  usernameSkeletonMigration,
  usersMigration,
} from '../sql/migrations.js';

/**
 * The same migration names as SQLite, with PostgreSQL types: bytea content, bigint epoch-ms times.
 * No locks table: PostgreSQL locks are session advisory locks (postgres-lock-store.ts).
 */
const migrations: Record<string, Migration> = {
  '0001_shares_and_events': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('shares')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('receipt_hash', 'text', (c) => c.notNull().unique())
        .addColumn('ciphertext', 'bytea')
        .addColumn('passphrase_hash', 'text')
        .addColumn('passphrase_scope', 'text', (c) => c.notNull().defaultTo('reveal'))
        .addColumn('max_views', 'integer', (c) => c.notNull())
        .addColumn('views_used', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('end_reason', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .execute();
      // Ciphertext does not compress: store it out of line without trying to.
      await sql`alter table shares alter column ciphertext set storage external`.execute(db);
      // The sweeper's scans, each over only the rows it can match: pending shares by deadline, ended
      // records by end time (pending rows have no ended_at).
      await db.schema
        .createIndex('shares_state_expires')
        .on('shares')
        .column('expires_at')
        .where(sql.ref('state'), '=', 'pending')
        .execute();
      await db.schema
        .createIndex('shares_ended_at')
        .on('shares')
        .column('ended_at')
        .where(sql.ref('ended_at'), 'is not', null)
        .execute();

      await db.schema
        .createTable('events')
        // Orders events that share a millisecond; ids are random and never looked up.
        .addColumn('seq', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('share_id', 'text')
        .addColumn('client_ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('detail', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // With seq in the key, a page in (created_at, seq) order reads straight off the index.
      await db.schema.createIndex('events_created').on('events').columns(['created_at', 'seq']).execute();
      await db.schema
        .createIndex('events_type_created')
        .on('events')
        .columns(['type', 'created_at', 'seq'])
        .execute();
      await db.schema
        .createIndex('events_share')
        .on('events')
        .columns(['share_id', 'created_at', 'seq'])
        .where(sql.ref('share_id'), 'is not', null)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table events`.execute(db);
      await sql`drop table shares`.execute(db);
    },
  },
  '0002_meta': metaMigration,
  // Named as on SQLite, whose 0003 (a locks table) PostgreSQL does without: advisory locks.
  '0004_users': usersMigration('bigint'),
  '0005_secret_store': secretStoreMigration('bigint', 'bytea'),
  '0006_share_key_check': shareKeyCheckMigration,
  '0007_username_skeleton': usernameSkeletonMigration,
  '0008_structured_events': structuredEventsMigration('postgres'),
  '0009_session_principal_kind': sessionPrincipalKindMigration,
};

export const postgresMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
