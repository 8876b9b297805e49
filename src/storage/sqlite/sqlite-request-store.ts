import type { Database } from 'better-sqlite3';
import type { RequestOwner } from '../../shares/request-types.js';
import type { RequestStore } from '../request-store.js';
import { ownerFromColumns, requestFromRow } from '../sql/request-rows.js';
import { REQUEST_SQL } from '../sql/request-statements.js';
import { eventInserter } from './sqlite-event-store.js';
import { preparedStatements, sqlitePrepared } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const LIVE = `state in ('open', 'answered') and expires_at > @now`;

/** SQLite's writes, each run inside one write job; each guarantee can be read off its WHERE. */
const SQL = {
  insert: `insert into secret_requests (id, request_hash, respond_hash, note, owner_kind, owner_id,
      created_at, expires_at)
    values (@id, @requestHash, @respondHash, @note, @ownerKind, @ownerId, @createdAt, @expiresAt)`,
  answer: `update secret_requests set answer = @answer, state = 'answered', answered_at = @now
    where id = @id and state = 'open' and expires_at > @now`,
  // Read and erase in one write job: no other write can come between them.
  readAnswer: `select answer from secret_requests
    where id = @id and state = 'answered' and expires_at > @now`,
  reveal: `update secret_requests set answer = null, state = 'revealed', ended_at = @now where id = @id`,
  burn: `update secret_requests set answer = null, state = 'burned', ended_at = @now where id = @id and ${LIVE}`,
  expire: `update secret_requests set answer = null, state = 'expired', ended_at = expires_at
    where id in (select id from secret_requests
        where state in ('open', 'answered') and expires_at <= @now limit @limit)
      and state in ('open', 'answered')
    returning id`,
  purge: `delete from secret_requests where id in (select id from secret_requests
    where state in ('revealed', 'burned', 'expired') and ended_at < @endedBefore limit @limit)`,
  owner: `select owner_kind, owner_id from secret_requests where id = ? and owner_id is not null`,
} as const;

/** Secret requests in the SQLite file; writes go through the group-commit queue. */
export function createSqliteRequestStore(database: Database, writes: WriteQueue): RequestStore {
  const stmt = preparedStatements(database, SQL);
  const findOpen = sqlitePrepared(database, REQUEST_SQL.findOpen);
  const findByKey = sqlitePrepared(database, REQUEST_SQL.findByKey);
  const record = eventInserter(database);

  return {
    create: (request, events) =>
      writes.write(() => {
        stmt('insert').run({
          id: request.id,
          requestHash: request.requestHash,
          respondHash: request.respondHash,
          note: request.note ?? null,
          ownerKind: request.owner?.kind ?? null,
          ownerId: request.owner?.id ?? null,
          createdAt: request.createdAt,
          expiresAt: request.expiresAt,
        });
        record(events);
      }),

    findOpen: async (respondHash, now) => requestFromRow(findOpen.get({ respondHash, now })),

    findByKey: async (requestHash) => requestFromRow(findByKey.get({ requestHash })),

    answer: (id, answer, now, events) =>
      writes.write(() => {
        const answered = stmt('answer').run({ id, answer, now }).changes === 1;
        if (answered) record(events);
        return answered;
      }),

    reveal: (id, now, events) =>
      writes.write(() => {
        const row = stmt('readAnswer').get({ id, now }) as { answer: Buffer | null } | undefined;
        if (!row?.answer) return undefined;
        stmt('reveal').run({ id, now });
        record(events);
        return row.answer;
      }),

    burn: (id, now, events) =>
      writes.write(() => {
        const burned = stmt('burn').run({ id, now }).changes === 1;
        if (burned) record(events);
        return burned;
      }),

    expireBatch: (now, limit, eventsFor) =>
      writes.write(() => {
        const ids = (stmt('expire').all({ now, limit }) as { id: string }[]).map((row) => row.id);
        if (ids.length > 0) record(eventsFor(ids));
        return ids;
      }),

    purgeBatch: (endedBefore, limit) => writes.write(() => stmt('purge').run({ endedBefore, limit }).changes),

    async ownersOf(ids) {
      const owners = new Map<string, RequestOwner>();
      for (const id of new Set(ids)) {
        const row = stmt('owner').get(id) as
          | { owner_kind: string | null; owner_id: string | null }
          | undefined;
        const owner = row && ownerFromColumns(row.owner_kind, row.owner_id);
        if (owner) owners.set(id, owner);
      }
      return owners;
    },
  };
}
