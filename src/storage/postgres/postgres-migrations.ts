import { sql } from 'kysely';
import type { MigrationDialect } from '../sql/migration-dialect.js';
import { sqlMigrationProvider } from '../sql/migrations.js';

/**
 * The shared migration list (sql/migrations.ts) as PostgreSQL runs it: bytea content, bigint
 * epoch-ms times, an identity seq, and partial indexes. No locks table (so no 0003): PostgreSQL
 * locks are session advisory locks (postgres-lock-store.ts).
 */
const POSTGRES: MigrationDialect = {
  name: 'postgres',
  time: 'bigint',
  blob: 'bytea',
  // An identity column never hands a seq out twice, not even after the newest rows are purged.
  eventSeq: { type: 'bigint', identity: true },
  async indexSharesAndEvents(db) {
    // Ciphertext does not compress: store it out of line without trying to.
    await sql`alter table shares alter column ciphertext set storage external`.execute(db);
    // The sweeper's scans, each over only the rows it can match: pending shares by deadline, ended
    // records by end time (pending rows have no ended_at).
    await db.schema
      .createIndex('shares_state_expires')
      .on('shares')
      .column('expires_at')
      .where(sql.ref('state'), '=', 'pending')
      .execute();
    await db.schema
      .createIndex('shares_ended_at')
      .on('shares')
      .column('ended_at')
      .where(sql.ref('ended_at'), 'is not', null)
      .execute();
    // With seq in the key, a page in (created_at, seq) order reads straight off the index.
    await db.schema.createIndex('events_created').on('events').columns(['created_at', 'seq']).execute();
    await db.schema
      .createIndex('events_type_created')
      .on('events')
      .columns(['type', 'created_at', 'seq'])
      .execute();
    await db.schema
      .createIndex('events_share')
      .on('events')
      .columns(['share_id', 'created_at', 'seq'])
      .where(sql.ref('share_id'), 'is not', null)
      .execute();
  },
  leaseTable: false,
  jsonObject: (key, column) => `json_build_object('${key}', ${column})::text`,
  firstWord: (column) => `split_part(${column}, ' ', 1)`,
  // In place: the table keeps its identity seq; the old columns go once mapped.
  async restructureEvents(db, values) {
    const columns = Object.keys(values).filter((c) => c !== 'type');
    await sql
      .raw(
        `alter table events ${columns.map((c) => `add column ${c} text`).join(', ')}, add column request_id text`,
      )
      .execute(db);
    const set = Object.entries(values).map(([column, value]) => `${column} = ${value}`);
    await sql.raw(`update events set ${set.join(', ')}`).execute(db);
    await sql`alter table events drop column share_id, drop column detail, drop column actor,
      alter column actor_kind set not null, alter column data set not null`.execute(db);
  },
  // Epoch ms, as every time here; clock_timestamp() is evaluated after the row's seq. No default for
  // the rows already stored, so no table rewrite: theirs stays null, which the cursor reads as
  // settled, rightly: the ALTER waited for every transaction writing events to end.
  async addEventInsertedAt(db) {
    await sql`alter table events add column inserted_at bigint`.execute(db);
    await sql`alter table events
      alter column inserted_at set default (extract(epoch from clock_timestamp()) * 1000)::bigint`.execute(
      db,
    );
  },
  async sessionsReferenceUsers(db, reference) {
    await (reference
      ? sql`alter table sessions add constraint sessions_user_id_fkey
          foreign key (user_id) references users (id) on delete cascade`
      : sql`alter table sessions drop constraint sessions_user_id_fkey`
    ).execute(db);
  },
};

export const postgresMigrations = sqlMigrationProvider(POSTGRES);
