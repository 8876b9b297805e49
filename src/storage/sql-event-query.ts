import type { Selectable, SelectQueryBuilder } from 'kysely';
import type { AuditEvent, EventFilter, EventType } from '../audit/audit-types.js';
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
    createdAt: new Date(row.created_at),
  };
}
