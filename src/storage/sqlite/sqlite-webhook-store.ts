import type { Database } from 'better-sqlite3';
import {
  DELIVERY_COLUMNS,
  deliveryFromRow,
  deliveryValues,
  ENDPOINT_COLUMNS,
  endpointFromRow,
  endpointValues,
} from '../sql/webhook-rows.js';
import { WEBHOOK_SQL } from '../sql/webhook-statements.js';
import type { WebhookDeliveryCounts, WebhookStore } from '../webhook-store.js';
import { eventInserter } from './sqlite-event-store.js';
import { preparedStatements, sqlitePreparedAll } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

/** SQLite's own writes, each run inside one write job (PostgreSQL's are single statements). */
const SQL = {
  insertEndpoint: `insert into webhook_endpoints (${ENDPOINT_COLUMNS.join(', ')})
    values (${ENDPOINT_COLUMNS.map(() => '?').join(', ')})`,
  deleteEndpoint: `delete from webhook_endpoints where id = ?`,
  moveCursor: `update webhook_cursor set seq = @to where name = 'deliveries' and seq = @from`,
  // Only for an endpoint that exists; a pair already stored is left as it is.
  insertDelivery: `insert into webhook_deliveries (${DELIVERY_COLUMNS.join(', ')})
    select ${DELIVERY_COLUMNS.map(() => '?').join(', ')}
    where exists (select 1 from webhook_endpoints where id = ?)
    on conflict (endpoint_id, event_id) do nothing`,
} as const;

const NO_COUNTS: WebhookDeliveryCounts = { pending: 0, delivered: 0, failed: 0 };

/** Webhooks in the SQLite file; writes go through the group-commit queue. */
export function createSqliteWebhookStore(database: Database, writes: WriteQueue): WebhookStore {
  const stmt = preparedStatements(database, SQL);
  const shared = sqlitePreparedAll(database, WEBHOOK_SQL);
  const record = eventInserter(database);

  return {
    createEndpoint: (endpoint, events) =>
      writes.write(() => {
        stmt('insertEndpoint').run(...endpointValues(endpoint));
        record(events);
      }),
    async findEndpoint(id) {
      const row = shared.findEndpoint.get({ id });
      return row === undefined ? undefined : endpointFromRow(row);
    },
    listEndpoints: async (owner) =>
      (owner === undefined ? shared.listEndpoints.all({}) : shared.listEndpointsOf.all(owner)).map(
        endpointFromRow,
      ),
    async countDeliveries(endpointIds) {
      const counts = new Map<string, WebhookDeliveryCounts>();
      for (const id of endpointIds) {
        const rows = shared.countDeliveries.all({ id });
        counts.set(id, { ...NO_COUNTS, ...Object.fromEntries(rows.map((r) => [r.status, Number(r.count)])) });
      }
      return counts;
    },
    deleteEndpoint: (id, events) =>
      writes.write(() => {
        if (stmt('deleteEndpoint').run(id).changes !== 1) return false;
        shared.deleteDeliveriesOf.run({ id });
        record(events);
        return true;
      }),
    readCursor: async () => Number(shared.readCursor.get({})?.seq ?? 0),
    // Guarantee: the compare-and-set and the inserts are one write job, one transaction.
    enqueue: (from, to, deliveries) =>
      writes.write(() => {
        if (stmt('moveCursor').run({ from, to }).changes !== 1) return false;
        for (const d of deliveries) stmt('insertDelivery').run(...deliveryValues(d), d.endpointId);
        return true;
      }),
    claimDue: (now, leaseUntil, limit) =>
      writes.write(() => shared.claimDue.all({ now, leaseUntil, limit }).map(deliveryFromRow)),
    recordAttempt: (id, leaseUntil, outcome) =>
      writes.write(
        () =>
          shared.recordAttempt.run({
            id,
            leaseUntil,
            status: outcome.status,
            nextAttemptAt: outcome.nextAttemptAt ?? null,
            statusCode: outcome.statusCode ?? null,
            error: outcome.error ?? null,
            deliveredAt: outcome.status === 'delivered' ? outcome.at : null,
          }).changes === 1,
      ),
    listDeliveries: async (endpointId, limit) =>
      shared.listDeliveries.all({ endpointId, limit }).map(deliveryFromRow),
    purgeDeliveries: (before, limit) => writes.write(() => shared.purge.run({ before, limit }).changes),
  };
}
