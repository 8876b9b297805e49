import type pg from 'pg';
import {
  DELIVERY_COLUMNS,
  deliveryFromRow,
  ENDPOINT_COLUMNS,
  endpointFromRow,
  endpointValues,
} from '../sql/webhook-rows.js';
import { WEBHOOK_SQL } from '../sql/webhook-statements.js';
import type { WebhookDeliveryCounts, WebhookDeliveryRecord, WebhookStore } from '../webhook-store.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { runPostgres } from './postgres-prepared.js';

const N = ENDPOINT_COLUMNS.length;
/** Array types of the delivery columns, in DELIVERY_COLUMNS order, for unnest. */
const DELIVERY_TYPES: Record<(typeof DELIVERY_COLUMNS)[number], string> = {
  id: 'text',
  endpoint_id: 'text',
  event_id: 'text',
  event_seq: 'bigint',
  event_type: 'text',
  payload: 'text',
  status: 'text',
  attempts: 'integer',
  next_attempt_at: 'bigint',
  lease_until: 'bigint',
  last_status_code: 'integer',
  last_error: 'text',
  delivered_at: 'bigint',
  created_at: 'bigint',
};
const COLUMNS = DELIVERY_COLUMNS.join(', ');

/** PostgreSQL's own writes: each one statement, events included. */
const SQL = {
  createEndpoint: `with created as (insert into webhook_endpoints (${ENDPOINT_COLUMNS.join(', ')})
      values (${ENDPOINT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) returning id),
    logged as (${insertEvents(N + 1, 'where exists (select 1 from created)')})
    select count(*)::int as created from created`,
  deleteEndpoint: `with gone as (delete from webhook_endpoints where id = $1 returning id),
    cleared as (delete from webhook_deliveries where endpoint_id = $1 and exists (select 1 from gone)),
    logged as (${insertEvents(2, 'where exists (select 1 from gone)')})
    select count(*)::int as deleted from gone`,
  /**
   * Guarantee (enqueue): the compare-and-set on the cursor row and the inserts are one statement.
   * A concurrent enqueue from the same cursor waits for the row lock, re-checks `seq = $1` on the
   * row the winner left (READ COMMITTED), matches nothing and so inserts nothing.
   */
  enqueue: `with moved as (update webhook_cursor set seq = $2 where name = 'deliveries' and seq = $1 returning seq),
    inserted as (insert into webhook_deliveries (${COLUMNS})
      select ${DELIVERY_COLUMNS.map((c) => `r.${c}`).join(', ')}
      from unnest(${DELIVERY_COLUMNS.map((c, i) => `$${i + 3}::${DELIVERY_TYPES[c]}[]`).join(', ')}) as r(${COLUMNS})
      where exists (select 1 from moved)
        and exists (select 1 from webhook_endpoints e where e.id = r.endpoint_id)
      on conflict (endpoint_id, event_id) do nothing)
    select count(*)::int as moved from moved`,
} as const;

const NO_COUNTS: WebhookDeliveryCounts = { pending: 0, delivered: 0, failed: 0 };

/** Array parameters of `deliveries`, one per column, for the enqueue's unnest. */
function deliveryArrays(deliveries: readonly WebhookDeliveryRecord[]): unknown[][] {
  const pick: ((d: WebhookDeliveryRecord) => unknown)[] = [
    (d) => d.id,
    (d) => d.endpointId,
    (d) => d.eventId,
    (d) => d.eventSeq,
    (d) => d.eventType,
    (d) => d.payload,
    (d) => d.status,
    (d) => d.attempts,
    (d) => d.nextAttemptAt ?? null,
    (d) => d.leaseUntil ?? null,
    (d) => d.lastStatusCode ?? null,
    (d) => d.lastError ?? null,
    (d) => d.deliveredAt ?? null,
    (d) => d.createdAt,
  ];
  return pick.map((get) => deliveries.map(get));
}

/** Webhooks in PostgreSQL: one prepared statement per call. */
export function createPostgresWebhookStore(pool: pg.Pool): WebhookStore {
  const run = <R extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[]) =>
    pool.query<R>({ name: `hush_webhook_${name}`, text: SQL[name], values });

  return {
    async createEndpoint(endpoint, events) {
      await run('createEndpoint', [
        ...endpointValues(endpoint),
        ...eventParams(ownedBy(endpoint.id, events)),
      ]);
    },
    async findEndpoint(id) {
      const row = (await runPostgres(pool, WEBHOOK_SQL.findEndpoint, { id })).rows[0];
      return row === undefined ? undefined : endpointFromRow(row);
    },
    listEndpoints: async (owner) =>
      (owner === undefined
        ? await runPostgres(pool, WEBHOOK_SQL.listEndpoints, {})
        : await runPostgres(pool, WEBHOOK_SQL.listEndpointsOf, owner)
      ).rows.map(endpointFromRow),
    async countDeliveries(endpointIds) {
      const counts = new Map<string, WebhookDeliveryCounts>();
      for (const id of endpointIds) {
        const { rows } = await runPostgres(pool, WEBHOOK_SQL.countDeliveries, { id });
        counts.set(id, { ...NO_COUNTS, ...Object.fromEntries(rows.map((r) => [r.status, Number(r.count)])) });
      }
      return counts;
    },
    deleteEndpoint: async (id, events) =>
      (await run<{ deleted: number }>('deleteEndpoint', [id, ...eventParams(ownedBy(id, events))])).rows[0]
        ?.deleted === 1,
    readCursor: async () => Number((await runPostgres(pool, WEBHOOK_SQL.readCursor, {})).rows[0]?.seq ?? 0),
    enqueue: async (from, to, deliveries) =>
      (await run<{ moved: number }>('enqueue', [from, to, ...deliveryArrays(deliveries)])).rows[0]?.moved ===
      1,
    claimDue: async (now, leaseUntil, limit) =>
      (await runPostgres(pool, WEBHOOK_SQL.claimDue, { now, leaseUntil, limit })).rows.map(deliveryFromRow),
    recordAttempt: async (id, leaseUntil, outcome) =>
      (
        await runPostgres(pool, WEBHOOK_SQL.recordAttempt, {
          id,
          leaseUntil,
          status: outcome.status,
          nextAttemptAt: outcome.nextAttemptAt ?? null,
          statusCode: outcome.statusCode ?? null,
          error: outcome.error ?? null,
          deliveredAt: outcome.status === 'delivered' ? outcome.at : null,
        })
      ).rowCount === 1,
    listDeliveries: async (endpointId, limit) =>
      (await runPostgres(pool, WEBHOOK_SQL.listDeliveries, { endpointId, limit })).rows.map(deliveryFromRow),
    purgeDeliveries: async (before, limit) =>
      (await runPostgres(pool, WEBHOOK_SQL.purge, { before, limit })).rowCount ?? 0,
  };
}
