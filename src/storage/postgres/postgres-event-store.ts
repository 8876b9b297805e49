import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { EventStore } from '../event-store.js';
import { eventsAfter, eventsForSubject, listEvents } from '../sql/event-query.js';
import type { SqlSchema } from '../sql/schema.js';
import { createBatcher } from './postgres-batcher.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { isPostgresFault } from './postgres-faults.js';

/** How long a transaction may hold a seq it has not committed yet: ours are short. */
export const DEFAULT_SETTLE_MS = 10_000;
/** Seqs the horizon looks at per read: a narrow filter moves on by up to this many per read. */
const HORIZON_SCAN = 1000;

const SQL = {
  // The cursor's horizon (see createPostgresEventStore): the seqs after the cursor $1, up to $2 of
  // them along the primary key; it stops before the first gap whose next row is younger than $3 ms
  // by the database's clock, else at the last row scanned (or stays at $1: nothing new).
  horizon: `with scanned as (
      select seq, inserted_at, lag(seq, 1, $1::bigint) over (order by seq) as prev
      from (select seq, inserted_at from events where seq > $1 order by seq limit $2) s)
    select coalesce(
      (select min(prev) from scanned where seq > prev + 1
        and inserted_at > (extract(epoch from clock_timestamp()) * 1000)::bigint - $3),
      (select max(seq) from scanned),
      $1::bigint) as horizon`,
  // One JSON parameter for any batch size; an id already stored is skipped (see EventStore.append).
  insert: insertEvents(1),
  // Oldest first along the created_at index; SKIP LOCKED keeps two purging nodes out of each other's way.
  // A CTE, evaluated once, so the limit holds (see the share store's expire).
  purge: `with batch as (
      select seq from events where created_at < $1 order by created_at limit $2 for update skip locked)
    delete from events e using batch where e.seq = batch.seq`,
} as const;

export interface PostgresEventStoreOptions {
  /**
   * How old (ms, by the database's clock) the row after a gap in seq must be before the cursor
   * passes the gap: longer than any transaction that writes events runs. DEFAULT_SETTLE_MS.
   */
  readonly settleMs?: number;
}

/**
 * Appends and purges are prepared statements on the pool; reads are built with Kysely, since their
 * shape depends on the filter.
 *
 * Seq comes from an identity column: it only grows, on every node, but it is handed out at insert,
 * not at commit, so a transaction that took seq 100 may commit after one that took 101. The cursor
 * read therefore stops at a horizon: before the first gap in seq whose next row is younger than the
 * settle window, since a seq missing there may still commit. A gap older than that is a seq no
 * event will ever have (a rolled-back transaction, an id already stored: `on conflict do nothing`
 * uses up a seq too), so a consumer keeping `next` misses nothing and is never stuck for longer
 * than the window. The age is the row's `inserted_at`, the database's clock when the row took its
 * seq (0010); `created_at` cannot serve: it is the clock of the node that built the event, which
 * may be skewed, and the Redis outbox stores events long after they were built (after a crash), so
 * a fresh gap would look settled.
 */
export function createPostgresEventStore(
  pool: pg.Pool,
  db: Kysely<SqlSchema>,
  options: PostgresEventStoreOptions = {},
): EventStore {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
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
    async after(seq, limit, filter) {
      const scan = Math.max(HORIZON_SCAN, limit);
      const { rows } = await run<{ horizon: number }>('horizon', [seq, scan, settleMs]);
      return eventsAfter(db, seq, limit, filter, Number(rows[0]?.horizon ?? seq));
    },
    listForSubject: (subject, limit) => eventsForSubject(db, subject, limit),
    purgeBefore: async (before, limit) => (await run('purge', [before, limit])).rowCount ?? 0,
    drainOutbox: async () => ({ moved: 0, stale: 0 }),
  };
}
