import type pg from 'pg';
import type { RequestOwner } from '../../shares/request-types.js';
import type { RequestStore } from '../request-store.js';
import { ownerFromColumns, requestFromRow } from '../sql/request-rows.js';
import { REQUEST_SQL } from '../sql/request-statements.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { runPostgres } from './postgres-prepared.js';
import { inTransaction } from './postgres-transaction.js';

const LIVE = `state in ('open', 'answered') and expires_at > $2`;
const IF_CHANGED = 'where exists (select 1 from changed)';

/**
 * PostgreSQL's writes: each one statement with its events, at READ COMMITTED, where an UPDATE (or
 * SELECT … FOR UPDATE) that waited on a row another transaction changed re-checks its WHERE on the
 * committed row: of concurrent answers, reveals and burns of one request, one matches.
 */
const SQL = {
  insert: `with changed as (insert into secret_requests (id, request_hash, respond_hash, note, owner_kind,
        owner_id, created_at, expires_at)
      values ($1, $2, $3, $4, $5, $6, $7, $8) returning id),
    logged as (${insertEvents(9, IF_CHANGED)})
    select count(*)::int as n from changed`,
  answer: `with changed as (update secret_requests set answer = $3, state = 'answered', answered_at = $2
      where id = $1 and state = 'open' and expires_at > $2 returning id),
    logged as (${insertEvents(4, IF_CHANGED)})
    select count(*)::int as n from changed`,
  // The CTE locks the row and keeps the answer as it was before the UPDATE erases it.
  reveal: `with claimed as (select id, answer from secret_requests
        where id = $1 and state = 'answered' and expires_at > $2 for update),
      changed as (update secret_requests s set answer = null, state = 'revealed', ended_at = $2
        from claimed c where s.id = c.id returning c.answer),
      logged as (${insertEvents(3, IF_CHANGED)})
    select answer from changed`,
  burn: `with changed as (update secret_requests set answer = null, state = 'burned', ended_at = $2
      where id = $1 and ${LIVE} returning id),
    logged as (${insertEvents(3, IF_CHANGED)})
    select count(*)::int as n from changed`,
  // SKIP LOCKED: concurrent sweepers take disjoint batches (a CTE, evaluated once).
  expire: `with batch as (select id from secret_requests
        where state in ('open', 'answered') and expires_at <= $1
        order by expires_at limit $2 for update skip locked)
    update secret_requests s set answer = null, state = 'expired', ended_at = s.expires_at
    from batch where s.id = batch.id and s.state in ('open', 'answered')
    returning s.id`,
  purge: `with batch as (select id from secret_requests
        where state in ('revealed', 'burned', 'expired') and ended_at < $1 limit $2 for update skip locked)
    delete from secret_requests s using batch where s.id = batch.id`,
  owners: `select id, owner_kind, owner_id from secret_requests where id = any($1::text[]) and owner_id is not null`,
  insertEvents: insertEvents(1),
} as const;

type StatementName = keyof typeof SQL;

/** Secret requests in PostgreSQL: each method one statement (the sweep one transaction). */
export function createPostgresRequestStore(pool: pg.Pool): RequestStore {
  const run = <R extends pg.QueryResultRow>(
    name: StatementName,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = pool,
  ) => on.query<R>({ name: `hush_request_${name}`, text: SQL[name], values });
  const changed = async (name: StatementName, values: unknown[]) =>
    (await run<{ n: number }>(name, values)).rows[0]?.n === 1;

  return {
    async create(r, events) {
      await run('insert', [
        r.id,
        r.requestHash,
        r.respondHash,
        r.note ?? null,
        r.owner?.kind ?? null,
        r.owner?.id ?? null,
        r.createdAt,
        r.expiresAt,
        ...eventParams(ownedBy(r.id, events)),
      ]);
    },

    findOpen: async (respondHash, now) =>
      requestFromRow((await runPostgres(pool, REQUEST_SQL.findOpen, { respondHash, now })).rows[0]),

    findByKey: async (requestHash) =>
      requestFromRow((await runPostgres(pool, REQUEST_SQL.findByKey, { requestHash })).rows[0]),

    answer: (id, answer, now, events) =>
      changed('answer', [id, now, answer, ...eventParams(ownedBy(id, events))]),

    reveal: async (id, now, events) =>
      (await run<{ answer: Buffer }>('reveal', [id, now, ...eventParams(ownedBy(id, events))])).rows[0]
        ?.answer ?? undefined,

    burn: (id, now, events) => changed('burn', [id, now, ...eventParams(ownedBy(id, events))]),

    expireBatch: (now, limit, eventsFor) =>
      inTransaction(pool, async (client) => {
        const ids = (await run<{ id: string }>('expire', [now, limit], client)).rows.map((row) => row.id);
        if (ids.length > 0) await run('insertEvents', eventParams(ownedBy('', eventsFor(ids))), client);
        return ids;
      }),

    purgeBatch: async (endedBefore, limit) => (await run('purge', [endedBefore, limit])).rowCount ?? 0,

    async ownersOf(ids) {
      const owners = new Map<string, RequestOwner>();
      if (ids.length === 0) return owners;
      const { rows } = await run<{ id: string; owner_kind: string | null; owner_id: string | null }>(
        'owners',
        [[...new Set(ids)]],
      );
      for (const row of rows) {
        const owner = ownerFromColumns(row.owner_kind, row.owner_id);
        if (owner) owners.set(row.id, owner);
      }
      return owners;
    },
  };
}
