import { type Kysely, type Migration, sql } from 'kysely';
import type { MigrationDialect } from './migration-dialect.js';

/**
 * 0015: files of shares. An upload takes its parts while open, is attached to one share by that
 * share's create, and is erased (rows and bytes) by the step that ends the share, or released by
 * its last view to the download grants that view made. No foreign keys: each store step names the
 * rows it erases, and the sweeper removes what a step left unattached.
 */
export function shareFileMigration({ time, blob }: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('uploads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('bytes', time, (c) => c.notNull())
        .addColumn('part_count', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
        .addColumn('share_id', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('uploads_share').on('uploads').column('share_id').execute();
      await db.schema
        .createIndex('uploads_state_expires')
        .on('uploads')
        .columns(['state', 'expires_at'])
        .execute();
      await db.schema
        .createTable('upload_parts')
        .addColumn('upload_id', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('bytes', 'integer', (c) => c.notNull())
        .addColumn('data', blob)
        .addColumn('blob', 'text')
        .addPrimaryKeyConstraint('upload_parts_pk', ['upload_id', 'n'])
        .execute();
      await db.schema
        .createTable('download_grants')
        .addColumn('key_hash', 'text', (c) => c.primaryKey())
        .addColumn('upload_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('started_at', time)
        .addColumn('finished_at', time)
        .execute();
      await db.schema
        .createIndex('download_grants_upload')
        .on('download_grants')
        .column('upload_id')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table download_grants`.execute(db);
      await sql`drop table upload_parts`.execute(db);
      await sql`drop table uploads`.execute(db);
    },
  };
}
