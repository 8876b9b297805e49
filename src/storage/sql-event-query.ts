import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { AuditEvent, EventFilter, EventPage, EventType } from '../audit/audit-types.js';
import type { EventsTable, SqlSchema } from './sql-schema.js';

/** The audit-log filter as WHERE clauses; both SQL backends list events with it. */
export function filterEvents<O>(
  query: SelectQueryBuilder<SqlSchema, 'events', O>,
  filter: EventFilter,
): SelectQueryBuilder<SqlSchema, 'events', O> {
  let q = query;
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.since) q = q.where('created_at', '>=', filter.since.getTime());
  if (filter.until) q = q.where('created_at', '<=', filter.until.getTime());
  return q;
}

/** An `events` row (times as epoch milliseconds) as the domain's AuditEvent. */
export function eventFromRow(row: Selectable<EventsTable>): AuditEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    shareId: row.share_id ?? undefined,
    clientIp: row.client_ip ?? undefined,
    userAgent: row.user_agent ?? undefined,
    detail: row.detail ?? undefined,
    actor: row.actor ?? undefined,
    createdAt: new Date(row.created_at),
  };
}

/** One page of the filtered audit log, newest first (the same query on both SQL backends). */
export async function listEvents(
  db: Kysely<SqlSchema>,
  filter: EventFilter,
  offset: number,
  limit: number,
): Promise<EventPage> {
  const count = await filterEvents(db.selectFrom('events'), filter)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await filterEvents(db.selectFrom('events').selectAll(), filter)
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { total: Number(count.total), events: rows.map(eventFromRow) };
}
