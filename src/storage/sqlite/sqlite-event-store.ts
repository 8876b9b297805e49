import type { Database } from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import type { EventStore } from '../event-store.js';
import { eventFromRow, listEvents } from '../sql-event-query.js';
import type { EventsTable, SqlSchema } from '../sql-schema.js';
import { preparedStatements } from './sqlite-statements.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const SQL = {
  insert: `insert into events (id, type, share_id, client_ip, user_agent, detail, actor, created_at)
    values (@id, @type, @shareId, @clientIp, @userAgent, @detail, @actor, @createdAt)`,
  forShare: `select * from events where share_id = ? order by created_at, seq limit ?`,
  // Oldest first along the created_at index, so each batch is a short range scan.
  purge: `delete from events
    where seq in (select seq from events where created_at < @before order by created_at limit @limit)`,
} as const;

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

  return {
    async append(events) {
      if (events.length === 0) return;
      await writes.write(() => {
        for (const e of events) {
          stmt('insert').run({
            id: e.id,
            type: e.type,
            shareId: e.shareId ?? null,
            clientIp: e.clientIp ?? null,
            userAgent: e.userAgent ?? null,
            detail: e.detail ?? null,
            actor: e.actor ?? null,
            createdAt: e.createdAt.getTime(),
          });
        }
      });
    },

    list: (filter, offset, limit) => listEvents(db, filter, offset, limit),

    async listForShare(shareId, limit) {
      return (stmt('forShare').all(shareId, limit) as Selectable<EventsTable>[]).map(eventFromRow);
    },

    purgeBefore: (before, limit) => writes.write(() => stmt('purge').run({ before, limit }).changes),
  };
}
