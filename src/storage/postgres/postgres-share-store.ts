import type pg from 'pg';
import type { AuditEvent } from '../../audit/audit-types.js';
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
import { SHARE_SQL } from '../sql/share-statements.js';
import { createBatcher } from './postgres-batcher.js';
import { eventParams, ownedBy } from './postgres-event-rows.js';
import { isPostgresFault } from './postgres-faults.js';
import {
  attachUpload,
  type GrantColumns,
  grantOf,
  grantParams,
  removeErased,
} from './postgres-file-steps.js';
import { runPostgres } from './postgres-prepared.js';
import { shareInsertValues } from './postgres-share-insert.js';
import { postgresShareOwners } from './postgres-share-owners.js';
import { SHARE_STATEMENTS, type ShareStatementName } from './postgres-share-sql.js';
import { inTransaction } from './postgres-transaction.js';

type AttemptRow = Pick<ShareRow, 'failed_attempts' | 'state'>;
/** What a statement that erased files says about their blob files (ERASED_BLOBS). */
type Erased = { erased_blobs: string[] };

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
    name: ShareStatementName,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = pool,
  ) => on.query<R>({ name: `hush_share_${name}`, text: SHARE_STATEMENTS[name], values });

  const insert = createBatcher<{ record: NewShareRecord; events: readonly AuditEvent[] }>({
    isFault: isPostgresFault,
    async flush(creates) {
      await run('insert', shareInsertValues(creates));
      return [];
    },
  });

  // A create with files is a transaction of its own: the share row, its events, the attach.
  const createWithUpload = (
    record: NewShareRecord,
    events: readonly AuditEvent[],
    upload: UploadAttachment,
  ) =>
    inTransaction(pool, async (client) => {
      await run('insert', shareInsertValues([{ record, events }]), client);
      await attachUpload(client, record.id, record.createdAt, upload);
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
        Pick<ShareRow, 'id' | 'ciphertext' | 'views_used' | 'max_views'> & GrantColumns
      >('claim', [
        requests.map((r) => r.id),
        requests.map((r) => r.now),
        ...eventParams(requests.flatMap((r) => ownedBy(r.id, r.events))),
        ...grantParams(requests.map((r) => r.grant)),
      ]);
      const claimed = new Map(rows.map((row) => [row.id, row]));
      return requests.map(({ id }) => {
        const row = claimed.get(id);
        return row?.ciphertext
          ? { ciphertext: row.ciphertext, viewsLeft: row.max_views - row.views_used, download: grantOf(row) }
          : undefined;
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
      const attempt = eventParams([
        ...ownedBy('attempt', events.attempt),
        ...ownedBy('burned', events.burned),
      ]);
      const row = (await run<AttemptRow & Erased>('failedAttempt', [id, limit, now, ...attempt])).rows[0];
      await removeErased(blobs, row);
      return row && { attempts: row.failed_attempts, burned: row.state === 'burned' };
    },

    async burn(id, reason, now, events) {
      const params = [id, reason, now, ...eventParams(ownedBy(id, events))];
      const row = (await run<{ burned: number } & Erased>('burn', params)).rows[0];
      await removeErased(blobs, row);
      return row?.burned === 1;
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
        const erased = (await run<Erased>('eraseFiles', [ids], client)).rows[0];
        await run('insertEvents', eventParams(ownedBy('', eventsFor(ids))), client);
        return { ids, erased };
      });
      await removeErased(blobs, erased);
      return ids;
    },

    purgeBatch: async (endedBefore, limit) => (await run('purge', [endedBefore, limit])).rowCount ?? 0,

    ...postgresShareOwners(pool),

    mirrorViews: (id, viewsUsed, now) => mirrorViews({ id, viewsUsed, now }),

    async mirrorAttempts(id, attempts, burned, now) {
      await run('mirrorAttempts', [id, attempts, burned, now]);
    },

    async discard(id) {
      await runPostgres(pool, SHARE_SQL.discard, { id });
    },
  };
}
