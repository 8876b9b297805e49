import type { Selectable } from 'kysely';
import type { WebhookDeliveryRecord, WebhookEndpointRecord, WebhookOwner } from '../webhook-store.js';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from './webhook-schema.js';

/** Named columns rather than `*`: a prepared `select *` fails on PostgreSQL once a migration adds one. */
export const ENDPOINT_COLUMNS = [
  'id',
  'owner_kind',
  'owner_id',
  'url',
  'events',
  'all_accounts',
  'secret',
  'created_at',
] as const satisfies readonly (keyof WebhookEndpointsTable)[];

export const DELIVERY_COLUMNS = [
  'id',
  'endpoint_id',
  'event_id',
  'event_seq',
  'event_type',
  'payload',
  'status',
  'attempts',
  'next_attempt_at',
  'lease_until',
  'last_status_code',
  'last_error',
  'delivered_at',
  'created_at',
] as const satisfies readonly (keyof WebhookDeliveriesTable)[];

/** PostgreSQL returns bigint as text; SQLite as number. */
type Wide<T> = {
  [K in keyof T]: T[K] extends number
    ? number | string
    : T[K] extends number | null
      ? number | string | null
      : T[K];
};
export type EndpointRow = Wide<Selectable<WebhookEndpointsTable>>;
export type DeliveryRow = Wide<Selectable<WebhookDeliveriesTable>>;

const optional = (value: number | string | null) => (value === null ? undefined : Number(value));

export function endpointFromRow(row: EndpointRow): WebhookEndpointRecord {
  return {
    id: row.id,
    owner: { kind: row.owner_kind as WebhookOwner['kind'], id: row.owner_id },
    url: row.url,
    events: row.events === '' ? [] : row.events.split(','),
    allAccounts: Number(row.all_accounts) === 1,
    sealedSecret: row.secret,
    createdAt: Number(row.created_at),
  };
}

/** Column values of an endpoint row, in ENDPOINT_COLUMNS order. */
export function endpointValues(e: WebhookEndpointRecord) {
  return [
    e.id,
    e.owner.kind,
    e.owner.id,
    e.url,
    e.events.join(','),
    e.allAccounts ? 1 : 0,
    e.sealedSecret,
    e.createdAt,
  ] as const;
}

export function deliveryFromRow(row: DeliveryRow): WebhookDeliveryRecord {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventSeq: Number(row.event_seq),
    eventType: row.event_type,
    payload: row.payload,
    status: row.status as WebhookDeliveryRecord['status'],
    attempts: Number(row.attempts),
    nextAttemptAt: optional(row.next_attempt_at),
    leaseUntil: optional(row.lease_until),
    lastStatusCode: optional(row.last_status_code),
    lastError: row.last_error ?? undefined,
    deliveredAt: optional(row.delivered_at),
    createdAt: Number(row.created_at),
  };
}

/** Column values of a delivery row, in DELIVERY_COLUMNS order. */
export function deliveryValues(d: WebhookDeliveryRecord) {
  return [
    d.id,
    d.endpointId,
    d.eventId,
    d.eventSeq,
    d.eventType,
    d.payload,
    d.status,
    d.attempts,
    d.nextAttemptAt ?? null,
    d.leaseUntil ?? null,
    d.lastStatusCode ?? null,
    d.lastError ?? null,
    d.deliveredAt ?? null,
    d.createdAt,
  ] as const;
}
