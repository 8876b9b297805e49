import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import { kvVersionsMigration } from './kv-versions-migration.js';
import { machineMigration } from './machine-migration.js';
import type { MigrationDialect } from './migration-dialect.js';
import { secretIdUsedUpMigration } from './secret-id-used-up-migration.js';
import { secretStoreMigration } from './secret-store-migration.js';
import { shareFileMigration } from './share-file-migration.js';
import { structuredEventsMigration } from './structured-events-migration.js';
import { usernameSkeletonMigration } from './username-skeleton-migration.js';

/**
 * Every migration, in order, for both SQL dialects: one list under one set of names, so that a
 * database of either kind records the same history. Migrations live in code (not files) so the
 * built package and tests run the same list. A name, once released, never changes.
 */
export function sqlMigrations(dialect: MigrationDialect): Record<string, Migration> {
  return {
    '0001_shares_and_events': sharesAndEventsMigration(dialect),
    '0002_meta': metaMigration,
    // Only where leases are a table: PostgreSQL's database never had a 0003.
    ...(dialect.leaseTable ? { '0003_locks': locksMigration(dialect) } : {}),
    '0004_users': usersMigration(dialect),
    '0005_secret_store': secretStoreMigration(dialect),
    '0006_share_key_check': shareKeyCheckMigration,
    '0007_username_skeleton': usernameSkeletonMigration,
    '0008_structured_events': structuredEventsMigration(dialect),
    '0009_session_principal_kind': sessionPrincipalKindMigration,
    // Only where seqs may commit out of order: SQLite's database never had a 0010.
    ...(dialect.addEventInsertedAt ? { '0010_event_inserted_at': { up: dialect.addEventInsertedAt } } : {}),
    '0011_kv_versions': kvVersionsMigration(dialect),
    '0012_machines': machineMigration(dialect),
    '0013_secret_id_used_up': secretIdUsedUpMigration(dialect),
    '0015_share_files': shareFileMigration(dialect),
  };
}

/** The list as Kysely's Migrator takes it. */
export function sqlMigrationProvider(dialect: MigrationDialect): MigrationProvider {
  const migrations = sqlMigrations(dialect);
  return { getMigrations: async () => migrations };
}

/** One-time shares and the audit log as they first were (0008 restructured events). */
function sharesAndEventsMigration(dialect: MigrationDialect): Migration {
  const { time, blob, eventSeq } = dialect;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('shares')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('receipt_hash', 'text', (c) => c.notNull().unique())
        .addColumn('ciphertext', blob)
        .addColumn('passphrase_hash', 'text')
        .addColumn('passphrase_scope', 'text', (c) => c.notNull().defaultTo('reveal'))
        .addColumn('max_views', 'integer', (c) => c.notNull())
        .addColumn('views_used', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('end_reason', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('ended_at', time)
        .execute();
      await db.schema
        .createTable('events')
        // Orders events that share a millisecond; ids are random and never looked up.
        .addColumn('seq', eventSeq.type, (c) =>
          eventSeq.identity ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey(),
        )
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('share_id', 'text')
        .addColumn('client_ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('detail', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await dialect.indexSharesAndEvents(db);
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table events`.execute(db);
      await sql`drop table shares`.execute(db);
    },
  };
}

const metaMigration: Migration = {
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

/** Leases for work that runs on one process at a time (the sweeper) when several share a file. */
function locksMigration({ time }: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('locks')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table locks`.execute(db);
    },
  };
}

function usersMigration({ time }: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table users`.execute(db);
    },
  };
}

/**
 * The link verifier of a share (docs/link-verifier.md): the SHA-256 of a value the client derived from
 * its link key, checked before a view is claimed. Nullable: older shares and shares sent in the
 * clear have none and reveal as before.
 */
const shareKeyCheckMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('shares').addColumn('key_check_hash', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('shares').dropColumn('key_check_hash').execute();
  },
};

/**
 * Sessions belong to a principal, kind and id: every existing one is a user's.
 * `user_id` keeps the id (and its cascade from accounts) until machine identities bring their own.
 */
const sessionPrincipalKindMigration: Migration = {
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
