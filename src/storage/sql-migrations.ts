import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Migrations whose tables are the same on SQLite and PostgreSQL but for the type of epoch-ms times
 * (SQLite's integer is 64-bit; PostgreSQL needs bigint). Each backend lists them under one name.
 */
export type TimeType = 'integer' | 'bigint';

export const metaMigration: Migration = {
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

export function usersMigration(timeType: TimeType): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', timeType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table users`.execute(db);
    },
  };
}
