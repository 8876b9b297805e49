import type { Database } from 'better-sqlite3';
import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { AuditEvent, EventFilter, EventType } from '../../audit/audit-types.js';
import type { EventStore } from '../event-store.js';
import type { EventsTable, SqliteSchema } from './sqlite-schema.js';
import { preparedStatements } from './sqlite-statements.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const SQL = {
  insert: `insert into events (id, type, share_id, client_ip, user_agent, detail, created_at)
    values (@id, @type, @shareId, @clientIp, @userAgent, @detail, @createdAt)`,
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
  db: Kysely<SqliteSchema>,
  writes: WriteQueue,
): EventStore {
  const stmt = preparedStatements(database, SQL);

  const filtered = <O>(query: SelectQueryBuilder<SqliteSchema, 'events', O>, filter: EventFilter) => {
    let q = query;
    if (filter.type) q = q.where('type', '=', filter.type);
    if (filter.since) q = q.where('created_at', '>=', filter.since.getTime());
    if (filter.until) q = q.where('created_at', '<=', filter.until.getTime());
    return q;
  };

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
            createdAt: e.createdAt.getTime(),
          });
        }
      });
    },

    async list(filter, offset, limit) {
      const count = await filtered(db.selectFrom('events'), filter)
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow();
      const rows = await filtered(db.selectFrom('events').selectAll(), filter)
        .orderBy('created_at', 'desc')
        .orderBy('seq', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      return { total: Number(count.total), events: rows.map(toEvent) };
    },

    async listForShare(shareId, limit) {
      return (stmt('forShare').all(shareId, limit) as Selectable<EventsTable>[]).map(toEvent);
    },

    purgeBefore: (before, limit) => writes.write(() => stmt('purge').run({ before, limit }).changes),
  };
}

function toEvent(row: Selectable<EventsTable>): AuditEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    shareId: row.share_id ?? undefined,
    clientIp: row.client_ip ?? undefined,
    userAgent: row.user_agent ?? undefined,
    detail: row.detail ?? undefined,
    createdAt: new Date(row.created_at),
  };
}
