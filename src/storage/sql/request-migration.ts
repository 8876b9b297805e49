import { type Kysely, type Migration, sql } from 'kysely';
import type { MigrationDialect } from './migration-dialect.js';

/** 0016: secret requests (docs/requests.md). */
export function requestMigration({ time, blob }: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('secret_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_hash', 'text', (c) => c.notNull().unique())
        .addColumn('respond_hash', 'text', (c) => c.notNull().unique())
        .addColumn('note', blob)
        .addColumn('answer', blob)
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
        .addColumn('owner_kind', 'text')
        .addColumn('owner_id', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('answered_at', time)
        .addColumn('ended_at', time)
        .execute();
      // The sweeper's two scans: live ones by expiry, ended ones by end.
      await db.schema
        .createIndex('secret_requests_expires')
        .on('secret_requests')
        .columns(['state', 'expires_at'])
        .execute();
      await db.schema.createIndex('secret_requests_ended').on('secret_requests').column('ended_at').execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table secret_requests`.execute(db);
    },
  };
}
