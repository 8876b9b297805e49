import type pg from 'pg';
import type { AuditEvent } from '../../audit/audit-types.js';
import { HushError } from '../../errors/hush-error.js';
import type { BlobBytes } from '../blob-bytes.js';
import type { NewDownloadGrant, UploadAttachment } from '../file-store.js';
import type {
  ClaimedView,
  NewShareRecord,
  ShareRecord,
  ShareRecordMirror,
  ShareStore,
} from '../share-store.js';
import { type ShareRow, shareFromRow } from '../sql/share-rows.js';
import { SHARE_COLUMNS, SHARE_SQL } from '../sql/share-statements.js';
import { createBatcher } from './postgres-batcher.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { isPostgresFault } from './postgres-faults.js';
import { ATTACH_UPLOAD, ERASED_BLOBS, eraseFilesOf, grantFilesOf } from './postgres-file-steps.js';
import { runPostgres } from './postgres-prepared.js';
import { inTransaction } from './postgres-transaction.js';

/** Named columns rather than `*`: a prepared `select *` fails once a migration adds a column. */
const COLUMNS = SHARE_COLUMNS.join(', ');

/**
 * Every statement on the request path, each a named prepared statement: parsed once per
 * connection, then one bound execution per call. Each guarantee can be read off its WHERE clause;
 * all run at READ COMMITTED, where an UPDATE (or SELECT … FOR UPDATE) that waits on a row another
 * transaction changed re-checks its WHERE against the committed row before acting on it.
 */
const SQL = {
  // One row per array element: concurrent creates share one statement (see postgres-batcher.ts),
  // their audit events too (one JSON parameter, each event owned by its share).
  insert: `with created as (
      insert into shares (id, token_hash, receipt_hash, ciphertext, passphrase_hash, passphrase_scope,
        key_check_hash, max_views, created_at, expires_at)
      select * from unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[],
        $7::text[], $8::integer[], $9::bigint[], $10::bigint[])
      returning id),
    logged as (${insertEvents(11, 'join created on created.id = e.owner')})
    select count(*)::int as created from created`,
  // Batched lookups: r.ord says which request each row answers.
  findLive: `select r.ord, ${COLUMNS.replace(/(\w+)/g, 's.$1')}
    from unnest($1::text[], $2::bigint[]) with ordinality as r(token_hash, now, ord)
    join shares s on s.token_hash = r.token_hash
    where s.state = 'pending' and s.expires_at > r.now`,
  // The CTE locks each row and re-checks the guard on its latest version, so the claims that wait
  // on each other are granted one by one, and only while views remain. It also keeps the content as
  // it was before the UPDATE erases it at the last view. A content-free row (NULL ciphertext, the
  // content lives in Redis) is counted and consumed the same way; the caller gets no content.
  // Batched over distinct ids (one claim per share per statement, see the batcher's key); rows are
  // locked in id order, so two nodes' batches never wait on each other in a cycle.
  claim: `with claimed as (
      select s.id, s.ciphertext, s.views_used + 1 >= s.max_views as last, r.now
      from unnest($1::text[], $2::bigint[]) as r(id, now)
      join shares s on s.id = r.id
      where s.state = 'pending' and s.expires_at > r.now and s.views_used < s.max_views
      order by s.id
      for update of s),
    updated as (update shares s set
        views_used = s.views_used + 1,
        ciphertext = case when c.last then null else s.ciphertext end,
        state = case when c.last then 'consumed' else s.state end,
        end_reason = case when c.last then 'viewed' else s.end_reason end,
        ended_at = case when c.last then c.now else s.ended_at end
      from claimed c
      where s.id = c.id
      returning s.id, c.ciphertext, s.views_used, s.max_views),
    -- Each granted claim's events, in the same statement: a failing insert fails the claim too.
    logged as (${insertEvents(3, 'join updated u on u.id = e.owner')}),
    ${grantFilesOf(1, 4, 5)}
    select u.id, u.ciphertext, u.views_used, u.max_views, f.bytes as file_bytes, g.expires_at as grant_expires_at
    from updated u left join (granted g join uploads f on f.id = g.upload_id) on f.share_id = u.id`,
  // SET expressions all read the pre-update row, so the count and the burn are one decision.
  // The events are owned by outcome: 'attempt' always, 'burned' only when this attempt burned.
  failedAttempt: `with changed as (update shares set
        failed_attempts = failed_attempts + 1,
        state = case when failed_attempts + 1 >= $2 then 'burned' else state end,
        ciphertext = case when failed_attempts + 1 >= $2 then null else ciphertext end,
        end_reason = case when failed_attempts + 1 >= $2 then 'passphrase_attempts' else end_reason end,
        ended_at = case when failed_attempts + 1 >= $2 then $3 else ended_at end
      where id = $1 and state = 'pending' and expires_at > $3
      returning failed_attempts, state),
    logged as (${insertEvents(4, `join changed c on e.owner = 'attempt' or (e.owner = 'burned' and c.state = 'burned')`)}),
    ended as (select $1::text as id from changed where state = 'burned'),
    ${eraseFilesOf('ended')}
    select failed_attempts, state, ${ERASED_BLOBS} from changed`,
  burn: `with changed as (update shares set state = 'burned', ciphertext = null, end_reason = $2, ended_at = $3
      where id = $1 and state = 'pending' and expires_at > $3 returning id),
    logged as (${insertEvents(4, 'join changed on changed.id = e.owner')}),
    ${eraseFilesOf('changed')}
    select (select count(*)::int from changed) as burned, ${ERASED_BLOBS}`,
  // SKIP LOCKED: concurrent sweepers take disjoint batches instead of queueing on the same rows.
  // The batch is a CTE, evaluated once: as an `id in (subquery … limit)` PostgreSQL may run the
  // subquery again per row, and with SKIP LOCKED each run finds new rows, so the limit slips.
  expire: `with batch as (
      select id from shares where state = 'pending' and expires_at <= $1
      order by expires_at limit $2 for update skip locked)
    update shares s set state = 'expired', ciphertext = null, end_reason = 'expired', ended_at = s.expires_at
    from batch where s.id = batch.id and s.state = 'pending'
    returning s.id`,
  // Mirrors (see ShareRecordMirror): raise to the decided count; end only a pending record.
  // Batched: one row per share (the batcher keeps the highest count per id), so a join never
  // matches a share twice.
  mirrorViews: `update shares s set
      views_used = greatest(s.views_used, m.n),
      state = case when s.state = 'pending' and m.n >= s.max_views then 'consumed' else s.state end,
      ciphertext = case when s.state = 'pending' and m.n >= s.max_views then null else s.ciphertext end,
      end_reason = case when s.state = 'pending' and m.n >= s.max_views then 'viewed' else s.end_reason end,
      ended_at = case when s.state = 'pending' and m.n >= s.max_views then m.at else s.ended_at end
    from unnest($1::text[], $2::integer[], $3::bigint[]) as m(id, n, at)
    where s.id = m.id`,
  mirrorAttempts: `update shares set
      failed_attempts = greatest(failed_attempts, $2),
      state = case when state = 'pending' and $3 then 'burned' else state end,
      ciphertext = case when state = 'pending' and $3 then null else ciphertext end,
      end_reason = case when state = 'pending' and $3 then 'passphrase_attempts' else end_reason end,
      ended_at = case when state = 'pending' and $3 then $4 else ended_at end
    where id = $1`,
  purge: `with batch as (
      select id from shares where state != 'pending' and ended_at < $1 limit $2 for update skip locked)
    delete from shares s using batch where s.id = batch.id`,
  insertEvents: insertEvents(1),
  eraseFiles: `with ended as (select unnest($1::text[]) as id), ${eraseFilesOf('ended')} select ${ERASED_BLOBS}`,
  attachUpload: ATTACH_UPLOAD,
} as const;

type StatementName = keyof typeof SQL;

interface ViewsMirror {
  readonly id: string;
  readonly viewsUsed: number;
  readonly now: number;
}

/**
 * The PostgreSQL share store: each method is one statement on the pool, so each atomic guarantee
 * of ShareStore is that statement's, across every node sharing the database.
 */
export function createPostgresShareStore(pool: pg.Pool, blobs: BlobBytes): ShareStore & ShareRecordMirror {
  const run = <R extends pg.QueryResultRow>(
    name: StatementName,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = pool,
  ) => on.query<R>({ name: `hush_share_${name}`, text: SQL[name], values });

  /** Removes the blob files a committed statement's erase named (none for bytes in rows). */
  const removeErased = (row: { erased_blobs?: string[] | null } | undefined) =>
    row?.erased_blobs?.length ? blobs.remove(row.erased_blobs) : Promise.resolve();

  const insertValues = (creates: readonly { record: NewShareRecord; events: readonly AuditEvent[] }[]) => {
    const records = creates.map((c) => c.record);
    return [
      records.map((r) => r.id),
      records.map((r) => r.tokenHash),
      records.map((r) => r.receiptHash),
      records.map((r) => r.ciphertext ?? null),
      records.map((r) => r.passphraseHash ?? null),
      records.map((r) => r.passphraseScope),
      records.map((r) => r.keyCheckHash ?? null),
      records.map((r) => r.maxViews),
      records.map((r) => r.createdAt),
      records.map((r) => r.expiresAt),
      ...eventParams(creates.flatMap((c) => ownedBy(c.record.id, c.events))),
    ];
  };

  const insert = createBatcher<{ record: NewShareRecord; events: readonly AuditEvent[] }>({
    isFault: isPostgresFault,
    async flush(creates) {
      await run('insert', insertValues(creates));
      return [];
    },
  });

  // A create with files is a transaction of its own: the share row, its events and the attach of
  // its upload (a row lock on the upload, re-checked: of concurrent creates naming it, one attaches).
  const createWithUpload = (
    record: NewShareRecord,
    events: readonly AuditEvent[],
    upload: UploadAttachment,
  ) =>
    inTransaction(pool, async (client) => {
      await run('insert', insertValues([{ record, events }]), client);
      const attached = await run(
        'attachUpload',
        [record.id, upload.id, upload.keyHash, record.createdAt],
        client,
      );
      if (attached.rowCount !== 1) throw new HushError('upload_incomplete');
    });

  // Finds and claims from concurrent reveals share one statement each (see postgres-batcher.ts).
  const findLive = createBatcher<{ tokenHash: string; now: number }, ShareRecord | undefined>({
    isFault: isPostgresFault,
    async flush(lookups) {
      const { rows } = await run<ShareRow & { ord: number }>('findLive', [
        lookups.map((l) => l.tokenHash),
        lookups.map((l) => l.now),
      ]);
      const found = new Map(rows.map((row) => [row.ord, row]));
      return lookups.map((_, i) => shareFromRow(found.get(i + 1)));
    },
  });

  const claim = createBatcher<
    { id: string; now: number; events: readonly AuditEvent[]; grant: NewDownloadGrant | undefined },
    ClaimedView | undefined
  >({
    isFault: isPostgresFault,
    key: (request) => request.id,
    async flush(requests) {
      const { rows } = await run<
        Pick<ShareRow, 'id' | 'ciphertext' | 'views_used' | 'max_views'> & {
          file_bytes: number | null;
          grant_expires_at: number | null;
        }
      >('claim', [
        requests.map((r) => r.id),
        requests.map((r) => r.now),
        ...eventParams(requests.flatMap((r) => ownedBy(r.id, r.events))),
        requests.map((r) => r.grant?.keyHash ?? null),
        requests.map((r) => r.grant?.expiresAt ?? null),
      ]);
      const claimed = new Map(rows.map((row) => [row.id, row]));
      return requests.map(({ id }) => {
        const row = claimed.get(id);
        if (!row?.ciphertext) return undefined;
        const download =
          row.file_bytes === null || row.grant_expires_at === null
            ? undefined
            : { bytes: row.file_bytes, expiresAt: row.grant_expires_at };
        return { ciphertext: row.ciphertext, viewsLeft: row.max_views - row.views_used, download };
      });
    },
  });

  // Reveals of Redis-held shares from concurrent requests share one UPDATE.
  const mirrorViews = createBatcher<ViewsMirror>({
    isFault: isPostgresFault,
    async flush(views) {
      const highest = new Map<string, ViewsMirror>();
      for (const view of views) {
        const seen = highest.get(view.id);
        if (!seen || view.viewsUsed > seen.viewsUsed) highest.set(view.id, view);
      }
      const rows = [...highest.values()];
      await run('mirrorViews', [rows.map((r) => r.id), rows.map((r) => r.viewsUsed), rows.map((r) => r.now)]);
      return [];
    },
  });

  return {
    create: (record, events) =>
      record.upload ? createWithUpload(record, events, record.upload) : insert({ record, events }),

    findLive: (tokenHash, now) => findLive({ tokenHash, now }),

    findByReceipt: async (receiptHash) =>
      shareFromRow((await runPostgres(pool, SHARE_SQL.findByReceipt, { receiptHash })).rows[0]),

    // Guarantee: the row lock serializes claims across all connections and the re-checked guard
    // grants at most max_views of them; the last one erases the content in the same statement.
    claimView: (id, now, events, grant) => claim({ id, now, events, grant }),

    // Guarantee: one UPDATE counts the attempt and, at the limit, burns; exactly one caller sees burned.
    async recordFailedAttempt(id, limit, now, events) {
      const { rows } = await run<Pick<ShareRow, 'failed_attempts' | 'state'> & { erased_blobs: string[] }>(
        'failedAttempt',
        [
          id,
          limit,
          now,
          ...eventParams([...ownedBy('attempt', events.attempt), ...ownedBy('burned', events.burned)]),
        ],
      );
      const row = rows[0];
      await removeErased(row);
      return row && { attempts: row.failed_attempts, burned: row.state === 'burned' };
    },

    async burn(id, reason, now, events) {
      const { rows } = await run<{ burned: number; erased_blobs: string[] }>('burn', [
        id,
        reason,
        now,
        ...eventParams(ownedBy(id, events)),
      ]);
      await removeErased(rows[0]);
      return rows[0]?.burned === 1;
    },

    // Which shares expired is known only after the update, and the events name them: a transaction
    // (the sweeper's cold path).
    async expireBatch(now, limit, eventsFor) {
      const { ids, erased } = await inTransaction(pool, async (client) => {
        const ids = (await run<Pick<ShareRow, 'id'>>('expire', [now, limit], client)).rows.map(
          (row) => row.id,
        );
        if (ids.length === 0) return { ids, erased: undefined };
        // The files of the expired shares go in the same transaction.
        const erased = (await run<{ erased_blobs: string[] }>('eraseFiles', [ids], client)).rows[0];
        await run('insertEvents', eventParams(ownedBy('', eventsFor(ids))), client);
        return { ids, erased };
      });
      await removeErased(erased);
      return ids;
    },

    purgeBatch: async (endedBefore, limit) => (await run('purge', [endedBefore, limit])).rowCount ?? 0,

    mirrorViews: (id, viewsUsed, now) => mirrorViews({ id, viewsUsed, now }),

    async mirrorAttempts(id, attempts, burned, now) {
      await run('mirrorAttempts', [id, attempts, burned, now]);
    },

    async discard(id) {
      await runPostgres(pool, SHARE_SQL.discard, { id });
    },
  };
}
