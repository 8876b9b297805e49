import type { Database, Statement } from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { EventStore } from '../event-store.js';
import { eventFromRow, listEvents } from '../sql-event-query.js';
import type { EventsTable, SqlSchema } from '../sql-schema.js';
import { preparedStatements } from './sqlite-statements.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const INSERT = `insert into events (id, type, share_id, client_ip, user_agent, detail, actor, created_at)
  values (?, ?, ?, ?, ?, ?, ?, ?)`;

const SQL = {
  forShare: `select * from events where share_id = ? order by created_at, seq limit ?`,
  // Oldest first along the created_at index, so each batch is a short range scan.
  purge: `delete from events
    where seq in (select seq from events where created_at < @before order by created_at limit @limit)`,
} as const;

/**
 * Inserts audit events; for write jobs, so another store can record a change and its events in
 * one step. Must run inside a write job.
 */
export function eventInserter(database: Database): (events: readonly AuditEvent[]) => void {
  let insert: Statement<unknown[]> | undefined;
  return (events) => {
    insert ??= database.prepare(INSERT);
    for (const e of events) {
      insert.run(
        e.id,
        e.type,
        e.shareId ?? null,
        e.clientIp ?? null,
        e.userAgent ?? null,
        e.detail ?? null,
        e.actor ?? null,
        e.createdAt.getTime(),
      );
    }
  };
}

/**
 * Appends and purges go through the group-commit queue (prepared statements); the filtered,
 * paginated listing is built with Kysely, since its shape depends on the filter.
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

    async listForShare(shareId, limit) {
      return (stmt('forShare').all(shareId, limit) as Selectable<EventsTable>[]).map(eventFromRow);
    },

    purgeBefore: (before, limit) => writes.write(() => stmt('purge').run({ before, limit }).changes),
  };
}
