import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { EventStore } from '../event-store.js';
import { eventsAfter, eventsForSubject, listEvents } from '../sql/event-query.js';
import type { SqlSchema } from '../sql/schema.js';
import { createBatcher } from './postgres-batcher.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { isPostgresFault } from './postgres-faults.js';

const SQL = {
  // One JSON parameter for any batch size; an id already stored is skipped (see EventStore.append).
  insert: insertEvents(1),
  // Oldest first along the created_at index; SKIP LOCKED keeps two purging nodes out of each other's way.
  // A CTE, evaluated once, so the limit holds (see the share store's expire).
  purge: `with batch as (
      select seq from events where created_at < $1 order by created_at limit $2 for update skip locked)
    delete from events e using batch where e.seq = batch.seq`,
} as const;

/**
 * Appends and purges are prepared statements on the pool; reads are built with Kysely, since their
 * shape depends on the filter.
 *
 * Seq comes from an identity column: it only grows, on every node. Two transactions committing in
 * the other order than they took their seq can make a cursor read see the later seq first; a
 * consumer that must not miss one re-reads a short window behind its cursor and skips ids it has.
 */
export function createPostgresEventStore(pool: pg.Pool, db: Kysely<SqlSchema>): EventStore {
  const run = <R extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[]) =>
    pool.query<R>({ name: `hush_event_${name}`, text: SQL[name], values });
  // Appends from concurrent requests share one INSERT (see postgres-batcher.ts), in arrival order.
  const insert = createBatcher<readonly AuditEvent[]>({
    isFault: isPostgresFault,
    async flush(batches) {
      await run('insert', eventParams(ownedBy('', batches.flat())));
      return [];
    },
  });

  return {
    async append(events) {
      if (events.length === 0) return;
      await insert(events);
    },
    list: (filter, offset, limit) => listEvents(db, filter, offset, limit),
    after: (seq, limit, filter) => eventsAfter(db, seq, limit, filter),
    listForSubject: (subject, limit) => eventsForSubject(db, subject, limit),
    purgeBefore: async (before, limit) => (await run('purge', [before, limit])).rowCount ?? 0,
    drainOutbox: async () => ({ moved: 0, stale: 0 }),
  };
}
