import type { Kysely, Migration } from 'kysely';
import type { MigrationDialect } from './migration-dialect.js';

/**
 * KV version 2 (0011): a version can be soft-deleted (`deleted_at`) or destroyed (`destroyed_at`,
 * its ciphertext and wrapped key then zero-length: the columns stay NOT NULL); a secret gets KV v2's
 * settings, each defaulting to what a secret written before behaves like: no own version limit
 * (0 = the `secrets.max_versions` setting), no check-and-set required, no automatic deletion, no
 * custom metadata. One column per ALTER: SQLite adds no more at a time.
 */
export function kvVersionsMigration({ time }: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('secret_versions').addColumn('deleted_at', time).execute();
      await db.schema.alterTable('secret_versions').addColumn('destroyed_at', time).execute();
      const settings = [
        ['max_versions', 0],
        ['cas_required', 0],
        ['delete_version_after_seconds', 0],
      ] as const;
      for (const [column, fallback] of settings) {
        await db.schema
          .alterTable('secrets')
          .addColumn(column, 'integer', (c) => c.notNull().defaultTo(fallback))
          .execute();
      }
      await db.schema
        .alterTable('secrets')
        .addColumn('custom_metadata', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const column of [
        'custom_metadata',
        'delete_version_after_seconds',
        'cas_required',
        'max_versions',
      ]) {
        await db.schema.alterTable('secrets').dropColumn(column).execute();
      }
      for (const column of ['destroyed_at', 'deleted_at']) {
        await db.schema.alterTable('secret_versions').dropColumn(column).execute();
      }
    },
  };
}
