import { type Kysely, type Migration, sql } from 'kysely';
import type { MigrationDialect } from './migration-dialect.js';

/**
 * 0017: webhook endpoints, their deliveries (one per endpoint and event, sent and retried by the
 * `webhooks` worker) and the worker's audit cursor, one row. The cursor starts at the newest event:
 * no endpoint existed before, so nothing older is owed to anyone.
 */
export function webhookMigration({ time, blob }: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_kind', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('all_accounts', 'integer', (c) => c.notNull())
        .addColumn('secret', blob, (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_endpoints_owner')
        .on('webhook_endpoints')
        .columns(['owner_kind', 'owner_id'])
        .execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_seq', time, (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', time)
        .addColumn('lease_until', time)
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', time)
        .addColumn('created_at', time, (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_endpoint_event', ['endpoint_id', 'event_id'])
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_due')
        .on('webhook_deliveries')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_endpoint')
        .on('webhook_deliveries')
        .columns(['endpoint_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('webhook_cursor')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('seq', time, (c) => c.notNull())
        .execute();
      await sql`insert into webhook_cursor (name, seq)
        select 'deliveries', coalesce(max(seq), 0) from events`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table webhook_cursor`.execute(db);
      await sql`drop table webhook_deliveries`.execute(db);
      await sql`drop table webhook_endpoints`.execute(db);
    },
  };
}
