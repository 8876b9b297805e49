import { type Kysely, sql } from 'kysely';
import type { MigrationDialect } from '../sql/migration-dialect.js';
import { sqlMigrationProvider } from '../sql/migrations.js';

/** The shared migration list (sql/migrations.ts) as SQLite runs it: only what SQLite does its own way. */
const SQLITE: MigrationDialect = {
  name: 'sqlite',
  time: 'integer',
  blob: 'blob',
  eventSeq: { type: 'integer', identity: false },
  async indexSharesAndEvents(db) {
    await db.schema
      .createIndex('shares_state_expires')
      .on('shares')
      .columns(['state', 'expires_at'])
      .execute();
    await db.schema.createIndex('shares_ended_at').on('shares').column('ended_at').execute();
    await eventTimeIndexes(db);
    await db.schema.createIndex('events_share').on('events').column('share_id').execute();
  },
  leaseTable: true,
  jsonObject: (key, column) => `json_object('${key}', ${column})`,
  firstWord: (column) => `substr(${column}, 1, instr(${column} || ' ', ' ') - 1)`,
  /**
   * SQLite rebuilds the table so that `seq` becomes AUTOINCREMENT: a plain rowid is reused once the
   * newest rows are purged, and a consumer's cursor must never see a seq again.
   */
  async restructureEvents(db, values) {
    // Indented as first released: SQLite keeps this text in sqlite_master, compared by the schema test.
    await sql`create table events_new (
          seq integer primary key autoincrement,
          id text not null,
          type text not null,
          actor_kind text not null,
          actor_id text,
          actor_name text,
          subject_kind text,
          subject_id text,
          data text not null,
          client_ip text,
          user_agent text,
          request_id text,
          created_at integer not null)`.execute(db);
    await sql
      .raw(
        `insert into events_new (seq, id, ${Object.keys(values).join(', ')}, client_ip, user_agent, created_at)
         select seq, id, ${Object.values(values).join(', ')}, client_ip, user_agent, created_at
         from events order by seq`,
      )
      .execute(db);
    await sql`drop table events`.execute(db);
    await sql`alter table events_new rename to events`.execute(db);
    await eventTimeIndexes(db);
  },
};

/** The events table's time-ordered indexes (rebuilt with the table in 0008). */
async function eventTimeIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('events_created').on('events').column('created_at').execute();
  await db.schema.createIndex('events_type_created').on('events').columns(['type', 'created_at']).execute();
}

export const sqliteMigrations = sqlMigrationProvider(SQLITE);
