import type { Kysely, Selectable } from 'kysely';
import type pg from 'pg';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { EventStore } from '../event-store.js';
import { eventFromRow, listEvents } from '../sql-event-query.js';
import type { EventsTable, SqlSchema } from '../sql-schema.js';
import { createBatcher } from './postgres-batcher.js';
import { isPostgresFault } from './postgres-faults.js';

const SQL = {
  // One row per array element: a single prepared statement serves any batch size.
  insert: `insert into events (id, type, share_id, client_ip, user_agent, detail, actor, created_at)
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
      $7::text[], $8::bigint[])`,
  forShare: `select seq, id, type, share_id, client_ip, user_agent, detail, actor, created_at
    from events where share_id = $1 order by created_at, seq limit $2`,
  // Oldest first along the created_at index; SKIP LOCKED keeps two purging nodes out of each other's way.
  // A CTE, evaluated once, so the limit holds (see the share store's expire).
  purge: `with batch as (
      select seq from events where created_at < $1 order by created_at limit $2 for update skip locked)
    delete from events e using batch where e.seq = batch.seq`,
} as const;

/**
 * Appends, the per-share timeline and purges are prepared statements on the pool; the filtered,
 * paginated listing is built with Kysely, since its shape depends on the filter.
 */
export function createPostgresEventStore(pool: pg.Pool, db: Kysely<SqlSchema>): EventStore {
  const run = <R extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[]) =>
    pool.query<R>({ name: `hush_event_${name}`, text: SQL[name], values });
  // Appends from concurrent requests share one INSERT (see postgres-batcher.ts).
  const insert = createBatcher<readonly AuditEvent[]>({
    isFault: isPostgresFault,
    async flush(batches) {
      const events = batches.flat();
      await run('insert', [
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => e.shareId ?? null),
        events.map((e) => e.clientIp ?? null),
        events.map((e) => e.userAgent ?? null),
        events.map((e) => e.detail ?? null),
        events.map((e) => e.actor ?? null),
        events.map((e) => e.createdAt.getTime()),
      ]);
      return [];
    },
  });

  return {
    async append(events) {
      if (events.length === 0) return;
      await insert(events);
    },

    list: (filter, offset, limit) => listEvents(db, filter, offset, limit),

    listForShare: async (shareId, limit) =>
      (await run<Selectable<EventsTable>>('forShare', [shareId, limit])).rows.map(eventFromRow),

    purgeBefore: async (before, limit) => (await run('purge', [before, limit])).rowCount ?? 0,
  };
}
