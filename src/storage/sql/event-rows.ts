import type { Selectable } from 'kysely';
import type { ActorKind, AuditEvent, EventData, EventType, SubjectKind } from '../../audit/audit-types.js';
import type { EventsTable } from './schema.js';

/** An event as the columns of an `events` row, seq aside (the database assigns it). */
export type EventRow = Omit<Selectable<EventsTable>, 'seq'>;

/** The columns of EventRow, in the order every insert of events lists them. */
export const EVENT_COLUMNS = [
  'id',
  'type',
  'actor_kind',
  'actor_id',
  'actor_name',
  'subject_kind',
  'subject_id',
  'data',
  'client_ip',
  'user_agent',
  'request_id',
  'created_at',
] as const satisfies readonly (keyof EventRow)[];

export function eventToRow(e: AuditEvent): EventRow {
  return {
    id: e.id,
    type: e.type,
    actor_kind: e.actor.kind,
    actor_id: e.actor.id ?? null,
    actor_name: e.actor.name ?? null,
    subject_kind: e.subject?.kind ?? null,
    subject_id: e.subject?.id ?? null,
    data: JSON.stringify(e.data),
    client_ip: e.clientIp ?? null,
    user_agent: e.userAgent ?? null,
    request_id: e.requestId ?? null,
    created_at: e.createdAt.getTime(),
  };
}

/** An `events` row (times as epoch milliseconds) as the domain's AuditEvent. */
export function eventFromRow(row: Selectable<EventsTable>): AuditEvent {
  return {
    id: row.id,
    // PostgreSQL returns bigint as text.
    seq: Number(row.seq),
    type: row.type as EventType,
    actor: {
      kind: row.actor_kind as ActorKind,
      id: row.actor_id ?? undefined,
      name: row.actor_name ?? undefined,
    },
    subject:
      row.subject_kind === null || row.subject_id === null
        ? undefined
        : { kind: row.subject_kind as SubjectKind, id: row.subject_id },
    data: JSON.parse(row.data) as EventData,
    clientIp: row.client_ip ?? undefined,
    userAgent: row.user_agent ?? undefined,
    requestId: row.request_id ?? undefined,
    createdAt: new Date(Number(row.created_at)),
  };
}
