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
  /**
   * SQLite alters no constraint: both tables are rebuilt (tokens references sessions, so renaming
   * sessions alone would leave tokens pointing at the old table), rows copied, old ones dropped.
   */
  async sessionsReferenceUsers(db, reference) {
    await sql`alter table tokens rename to tokens_old`.execute(db);
    await sql`alter table sessions rename to sessions_old`.execute(db);
    await createSessions(db, reference);
    await createTokens(db);
    await sql`insert into sessions (id, user_id, client_id, client_ip, access_ttl_seconds, created_at,
        expires_at, revoked_at, principal_kind)
      select id, user_id, client_id, client_ip, access_ttl_seconds, created_at, expires_at, revoked_at,
        principal_kind from sessions_old`.execute(db);
    await sql`insert into tokens (id, hash, kind, session_id, scope, bound_cidrs, max_uses, uses,
        created_at, expires_at, revoked_at, rotated_at)
      select id, hash, kind, session_id, scope, bound_cidrs, max_uses, uses, created_at, expires_at,
        revoked_at, rotated_at from tokens_old`.execute(db);
    await sql`drop table tokens_old`.execute(db);
    await sql`drop table sessions_old`.execute(db);
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
    await db.schema.createIndex('tokens_session').on('tokens').column('session_id').execute();
  },
};

/** `sessions` as 0005 and 0009 left it, with or without its reference to `users`. */
async function createSessions(db: Kysely<unknown>, reference: boolean): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) =>
      reference ? c.notNull().references('users.id').onDelete('cascade') : c.notNull(),
    )
    .addColumn('client_id', 'text')
    .addColumn('client_ip', 'text')
    .addColumn('access_ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .addColumn('principal_kind', 'text', (c) => c.notNull().defaultTo('user'))
    .execute();
}

/** `tokens` as 0005 created it. */
async function createTokens(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('bound_cidrs', 'text')
    .addColumn('max_uses', 'integer')
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .addColumn('rotated_at', 'integer')
    .execute();
}

/** The events table's time-ordered indexes (rebuilt with the table in 0008). */
async function eventTimeIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('events_created').on('events').column('created_at').execute();
  await db.schema.createIndex('events_type_created').on('events').columns(['type', 'created_at']).execute();
}

export const sqliteMigrations = sqlMigrationProvider(SQLITE);
