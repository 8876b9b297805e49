import { type Kysely, type Migration, sql } from 'kysely';
import type { MigrationDialect } from './migration-dialect.js';

/**
 * 0012: machine identities and their secret_ids. Sessions now belong to accounts or machines, so
 * `sessions.user_id` stops referencing `users`: the stores delete a principal's sessions with it
 * and create one only while its principal exists, each in one step (token-store.ts).
 */
export function machineMigration(dialect: MigrationDialect): Migration {
  const { time } = dialect;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('machines')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('role_id', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_ttl_seconds', 'integer', (c) => c.notNull())
        .addColumn('token_max_ttl_seconds', 'integer', (c) => c.notNull())
        .addColumn('token_num_uses', 'integer', (c) => c.notNull())
        .addColumn('secret_id_ttl_seconds', 'integer', (c) => c.notNull())
        .addColumn('secret_id_num_uses', 'integer', (c) => c.notNull())
        .addColumn('secret_id_bound_cidrs', 'text')
        .addColumn('token_bound_cidrs', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('machine_secret_ids')
        .addColumn('accessor', 'text', (c) => c.primaryKey())
        .addColumn('machine_id', 'text', (c) => c.notNull().references('machines.id').onDelete('cascade'))
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('cidrs', 'text')
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('uses_left', 'integer')
        .addColumn('expires_at', time)
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('revoked_at', time)
        .execute();
      await db.schema
        .createIndex('machine_secret_ids_machine')
        .on('machine_secret_ids')
        .column('machine_id')
        .execute();
      await dialect.sessionsReferenceUsers(db, false);
    },
    async down(db: Kysely<unknown>) {
      await sql`delete from sessions where principal_kind <> 'user'`.execute(db);
      await dialect.sessionsReferenceUsers(db, true);
      await sql`drop table machine_secret_ids`.execute(db);
      await sql`drop table machines`.execute(db);
    },
  };
}
