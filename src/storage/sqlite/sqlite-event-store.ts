import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { AuditEvent, EventFilter, EventType } from '../../audit/audit-types.js';
import type { EventStore } from '../event-store.js';
import type { EventsTable, SqliteSchema } from './sqlite-schema.js';

export function createSqliteEventStore(db: Kysely<SqliteSchema>): EventStore {
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
      await db
        .insertInto('events')
        .values(
          events.map((e) => ({
            id: e.id,
            type: e.type,
            share_id: e.shareId ?? null,
            client_ip: e.clientIp ?? null,
            user_agent: e.userAgent ?? null,
            detail: e.detail ?? null,
            created_at: e.createdAt.getTime(),
          })),
        )
        .execute();
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
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('share_id', '=', shareId)
        .orderBy('created_at', 'asc')
        .orderBy('seq', 'asc')
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },
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
