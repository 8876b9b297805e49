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

/** Migrations live in code (not files) so the built package and tests run the same list. */
const migrations: Record<string, Migration> = {
  '0001_shares_and_events': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('shares')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('receipt_hash', 'text', (c) => c.notNull().unique())
        .addColumn('ciphertext', 'blob')
        .addColumn('passphrase_hash', 'text')
        .addColumn('passphrase_scope', 'text', (c) => c.notNull().defaultTo('reveal'))
        .addColumn('max_views', 'integer', (c) => c.notNull())
        .addColumn('views_used', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('end_reason', 'text')
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'integer', (c) => c.notNull())
        .addColumn('ended_at', 'integer')
        .execute();
      await db.schema
        .createIndex('shares_state_expires')
        .on('shares')
        .columns(['state', 'expires_at'])
        .execute();
      await db.schema.createIndex('shares_ended_at').on('shares').column('ended_at').execute();

      await db.schema
        .createTable('events')
        // The rowid orders events that share a millisecond; ids are random and never looked up.
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('share_id', 'text')
        .addColumn('client_ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('detail', 'text')
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_created').on('events').column('created_at').execute();
      await db.schema
        .createIndex('events_type_created')
        .on('events')
        .columns(['type', 'created_at'])
        .execute();
      await db.schema.createIndex('events_share').on('events').column('share_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table events`.execute(db);
      await sql`drop table shares`.execute(db);
    },
  },
  '0002_meta': metaMigration,
  '0003_locks': {
    async up(db: Kysely<unknown>) {
      // Leases for work that runs on one process at a time (the sweeper) when several share a file.
      await db.schema
        .createTable('locks')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'integer', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table locks`.execute(db);
    },
  },
  '0004_users': usersMigration('integer'),
  '0005_secret_store': secretStoreMigration('integer', 'blob'),
  '0006_share_key_check': shareKeyCheckMigration,
  '0007_username_skeleton': usernameSkeletonMigration,
  '0008_structured_events': structuredEventsMigration('sqlite'),
  '0009_session_principal_kind': sessionPrincipalKindMigration,
};

export const sqliteMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
