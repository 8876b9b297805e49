import { type Kysely, type Migration, sql } from 'kysely';
import type { MigrationDialect } from './migration-dialect.js';

/**
 * 0013: when a secret_id's last counted use was spent, so that a used-up secret_id is purged a
 * while after it ended, as revoked and expired ones are. Those used up before this migration get
 * its time: they ended no later.
 */
export function secretIdUsedUpMigration({ time }: MigrationDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('machine_secret_ids').addColumn('used_up_at', time).execute();
      await sql`update machine_secret_ids set used_up_at = ${Date.now()} where uses_left = 0`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('machine_secret_ids').dropColumn('used_up_at').execute();
    },
  };
}
