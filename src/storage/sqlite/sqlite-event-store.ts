import type { Database, Statement } from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { EventStore } from '../event-store.js';
import { eventsAfter, eventsForSubject, listEvents } from '../sql/event-query.js';
import { EVENT_COLUMNS, eventToRow } from '../sql/event-rows.js';
import type { SqlSchema } from '../sql/schema.js';
import { preparedStatements } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

/**
 * One event, its columns as named parameters (`eventToRow`); the conflict clause skips only an id
 * already stored (a batch moved in twice), every other fault throws. Exported for the bench.
 */
export const EVENT_INSERT = `insert into events (${EVENT_COLUMNS.join(', ')})
  values (${EVENT_COLUMNS.map((c) => `@${c}`).join(', ')})
  on conflict (id) do nothing`;

const SQL = {
  // The cursor's horizon: every committed event (see createSqliteEventStore).
  horizon: 'select coalesce(max(seq), 0) from events',
  // Oldest first along the created_at index, so each batch is a short range scan.
  purge: `delete from events
    where seq in (select seq from events where created_at < @before order by created_at limit @limit)`,
} as const;

/**
 * Inserts audit events, in order; for write jobs, so another store records a change and its
 * events in one step (one savepoint). Must run inside a write job.
 */
export function eventInserter(database: Database): (events: readonly AuditEvent[]) => void {
  let insert: Statement<unknown[]> | undefined;
  return (events) => {
    insert ??= database.prepare(EVENT_INSERT);
    for (const event of events) insert.run(eventToRow(event));
  };
}

/**
 * Appends and purges go through the group-commit queue (prepared statements); reads are built
 * with Kysely, since their shape depends on the filter. SQLite has one writer at a time, so seq
 * order is commit order: the cursor's horizon is the greatest committed seq, read before the
 * events (whatever commits in between has a greater seq, and waits for the next read).
 */
export function createSqliteEventStore(
  database: Database,
  db: Kysely<SqlSchema>,
  writes: WriteQueue,
): EventStore {
  const stmt = preparedStatements(database, SQL);
  const insert = eventInserter(database);

  return {
    async append(events) {
      if (events.length === 0) return;
      await writes.write(() => insert(events));
    },
    list: (filter, offset, limit) => listEvents(db, filter, offset, limit),
    after: async (seq, limit, filter) =>
      eventsAfter(db, seq, limit, filter, stmt('horizon').pluck().get() as number),
    listForSubject: (subject, limit) => eventsForSubject(db, subject, limit),
    purgeBefore: (before, limit) => writes.write(() => stmt('purge').run({ before, limit }).changes),
    drainOutbox: async () => ({ moved: 0, stale: 0 }),
  };
}
