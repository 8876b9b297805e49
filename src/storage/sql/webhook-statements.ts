import type { ExpressionBuilder } from 'kysely';
import type { SqlSchema } from './schema.js';
import { statement } from './sql-statement.js';
import { DELIVERY_COLUMNS, ENDPOINT_COLUMNS } from './webhook-rows.js';

type Deliveries = ExpressionBuilder<SqlSchema, 'webhook_deliveries'>;

/** Due at `now` and held by nobody: what claimDue may take. */
const claimable = (eb: Deliveries, now: number) =>
  eb.and([
    eb('status', '=', 'pending'),
    eb('next_attempt_at', '<=', now),
    eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]),
  ]);

/**
 * The webhook statements both dialects run. The writes that store audit events or move the cursor
 * differ (PostgreSQL does each in one statement; SQLite inside one write job): see the store files.
 */
export const WEBHOOK_SQL = {
  findEndpoint: statement<{ id: string }>()('webhook_find_endpoint', (db, p) =>
    db.selectFrom('webhook_endpoints').select(ENDPOINT_COLUMNS).where('id', '=', p('id')),
  ),
  listEndpointsOf: statement<{ kind: string; id: string }>()('webhook_list_endpoints_of', (db, p) =>
    db
      .selectFrom('webhook_endpoints')
      .select(ENDPOINT_COLUMNS)
      .where('owner_kind', '=', p('kind'))
      .where('owner_id', '=', p('id'))
      .orderBy('created_at')
      .orderBy('id'),
  ),
  listEndpoints: statement()('webhook_list_endpoints', (db) =>
    db.selectFrom('webhook_endpoints').select(ENDPOINT_COLUMNS).orderBy('created_at').orderBy('id'),
  ),
  countDeliveries: statement<{ id: string }>()('webhook_count_deliveries', (db, p) =>
    db
      .selectFrom('webhook_deliveries')
      .select((eb) => ['status', eb.fn.countAll<number | string>().as('count')])
      .where('endpoint_id', '=', p('id'))
      .groupBy('status'),
  ),
  deleteDeliveriesOf: statement<{ id: string }>()('webhook_delete_deliveries_of', (db, p) =>
    db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', p('id')),
  ),
  readCursor: statement()('webhook_read_cursor', (db) =>
    db.selectFrom('webhook_cursor').select('seq').where('name', '=', 'deliveries'),
  ),
  /**
   * Guarantee (claimDue): one UPDATE that re-checks "due and held by nobody" on the row itself.
   * SQLite runs it alone in its write job; on PostgreSQL a concurrent claim of the same row waits
   * for the row lock and re-evaluates the outer WHERE on the row as the winner left it (READ
   * COMMITTED), finds its lease, and leaves it.
   */
  claimDue: statement<{ now: number; leaseUntil: number; limit: number }>()('webhook_claim_due', (db, p) =>
    db
      .updateTable('webhook_deliveries')
      .set({ lease_until: p('leaseUntil') })
      .where((eb) => claimable(eb, p('now')))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('webhook_deliveries as d')
          .select('d.id')
          .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
          .where('d.status', '=', 'pending')
          .where('d.next_attempt_at', '<=', p('now'))
          .where((inner) =>
            inner.or([inner('d.lease_until', 'is', null), inner('d.lease_until', '<=', p('now'))]),
          )
          .orderBy('d.next_attempt_at')
          .limit(p('limit')),
      )
      .returning(DELIVERY_COLUMNS),
  ),
  // Only the claim that holds it: a sender whose lease ran out (and was claimed again) changes nothing.
  recordAttempt: statement<{
    id: string;
    leaseUntil: number;
    status: string;
    nextAttemptAt: number | null;
    statusCode: number | null;
    error: string | null;
    deliveredAt: number | null;
  }>()('webhook_record_attempt', (db, p) =>
    db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        status: p('status'),
        attempts: eb('attempts', '+', 1),
        next_attempt_at: p('nextAttemptAt'),
        lease_until: null,
        last_status_code: p('statusCode'),
        last_error: p('error'),
        delivered_at: p('deliveredAt'),
      }))
      .where('id', '=', p('id'))
      .where('lease_until', '=', p('leaseUntil')),
  ),
  listDeliveries: statement<{ endpointId: string; limit: number }>()('webhook_list_deliveries', (db, p) =>
    db
      .selectFrom('webhook_deliveries')
      .select(DELIVERY_COLUMNS)
      .where('endpoint_id', '=', p('endpointId'))
      .orderBy('created_at', 'desc')
      .orderBy('event_seq', 'desc')
      .limit(p('limit')),
  ),
  // A row another purge deleted first is not deleted (nor counted) again.
  purge: statement<{ before: number; limit: number }>()('webhook_purge', (db, p) =>
    db.deleteFrom('webhook_deliveries').where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries as d')
        .select('d.id')
        .where((w) =>
          w.or([
            w.and([w('d.status', 'in', ['delivered', 'failed']), w('d.created_at', '<', p('before'))]),
            w.not(
              w.exists(
                w.selectFrom('webhook_endpoints as e').select('e.id').whereRef('e.id', '=', 'd.endpoint_id'),
              ),
            ),
          ]),
        )
        .limit(p('limit')),
    ),
  ),
} as const;
