import type { Database } from 'better-sqlite3';
import { HushError } from '../../errors/hush-error.js';
import type { BlobBytes } from '../blob-bytes.js';
import type { ShareRecord, ShareRecordMirror, ShareStore } from '../share-store.js';
import { type OwnerRow, ownerMap, type ShareRow, shareFromRow } from '../sql/share-rows.js';
import { SHARE_SQL } from '../sql/share-statements.js';
import { eventInserter } from './sqlite-event-store.js';
import type { SqliteFileSteps } from './sqlite-file-steps.js';
import { preparedStatements, sqlitePrepared } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

/**
 * SQLite's statements on the request path, prepared once; the receipt lookup is shared
 * (sql/share-statements.ts, which says why the rest differ). Written as SQL: each guarantee can be
 * read off its WHERE clause, and a call costs one bound execution.
 */
const SQL = {
  insert: `insert into shares (id, token_hash, receipt_hash, ciphertext, passphrase_hash, passphrase_scope,
      key_check_hash, max_views, created_at, expires_at, owner_kind, owner_id)
    values (@id, @tokenHash, @receiptHash, @ciphertext, @passphraseHash, @passphraseScope, @keyCheckHash,
      @maxViews, @createdAt, @expiresAt, @ownerKind, @ownerId)`,
  ownersOf: `select id, owner_kind, owner_id from shares
    where id in (select value from json_each(?)) and owner_id is not null`,
  findLive: `select * from shares where token_hash = ? and state = 'pending' and expires_at > ?`,
  claim: `update shares set views_used = views_used + 1
    where id = @id and state = 'pending' and expires_at > @now and views_used < max_views
    returning ciphertext, views_used, max_views`,
  consume: `update shares set ciphertext = null, state = 'consumed', end_reason = 'viewed', ended_at = @now
    where id = @id`,
  // SET expressions all read the pre-update row, so the count and the burn are one decision.
  failedAttempt: `update shares set
      failed_attempts = failed_attempts + 1,
      state = case when failed_attempts + 1 >= @limit then 'burned' else state end,
      ciphertext = case when failed_attempts + 1 >= @limit then null else ciphertext end,
      end_reason = case when failed_attempts + 1 >= @limit then 'passphrase_attempts' else end_reason end,
      ended_at = case when failed_attempts + 1 >= @limit then @now else ended_at end
    where id = @id and state = 'pending' and expires_at > @now
    returning failed_attempts, state`,
  burn: `update shares set state = 'burned', ciphertext = null, end_reason = @reason, ended_at = @now
    where id = @id and state = 'pending' and expires_at > @now`,
  expire: `update shares set state = 'expired', ciphertext = null, end_reason = 'expired', ended_at = expires_at
    where id in (select id from shares where state = 'pending' and expires_at <= @now limit @limit)
      and state = 'pending'
    returning id`,
  // Mirrors (see ShareRecordMirror): raise to the decided count; end only a pending record.
  mirrorViews: `update shares set
      views_used = max(views_used, @viewsUsed),
      state = case when state = 'pending' and @viewsUsed >= max_views then 'consumed' else state end,
      ciphertext = case when state = 'pending' and @viewsUsed >= max_views then null else ciphertext end,
      end_reason = case when state = 'pending' and @viewsUsed >= max_views then 'viewed' else end_reason end,
      ended_at = case when state = 'pending' and @viewsUsed >= max_views then @now else ended_at end
    where id = @id`,
  mirrorAttempts: `update shares set
      failed_attempts = max(failed_attempts, @attempts),
      state = case when state = 'pending' and @burned then 'burned' else state end,
      ciphertext = case when state = 'pending' and @burned then null else ciphertext end,
      end_reason = case when state = 'pending' and @burned then 'passphrase_attempts' else end_reason end,
      ended_at = case when state = 'pending' and @burned then @now else ended_at end
    where id = @id`,
  purge: `delete from shares
    where id in (select id from shares where state != 'pending' and ended_at < @endedBefore limit @limit)`,
} as const;

/**
 * The SQLite share store. Reads run at once; writes go through the group-commit queue, which runs
 * them one at a time under SQLite's write lock (shared by every process on the file). A change and
 * its audit events are one write job, so one savepoint: a failing event insert undoes the change.
 */
export function createSqliteShareStore(
  database: Database,
  writes: WriteQueue,
  files: { readonly steps: SqliteFileSteps; readonly blobs: BlobBytes },
): ShareStore & ShareRecordMirror {
  /** Runs a write job that may erase files, then removes the blob files its rows named. */
  const erasing = async <T>(job: (erased: string[]) => T): Promise<T> => {
    const erased: string[] = [];
    const result = await writes.write(() => {
      erased.length = 0;
      return job(erased);
    });
    await files.blobs.remove(erased);
    return result;
  };
  const stmt = preparedStatements(database, SQL);
  const findByReceipt = sqlitePrepared(database, SHARE_SQL.findByReceipt);
  const discard = sqlitePrepared(database, SHARE_SQL.discard);
  const listByOwner = sqlitePrepared(database, SHARE_SQL.listByOwner);
  const countByOwner = sqlitePrepared(database, SHARE_SQL.countByOwner);
  const findOwned = sqlitePrepared(database, SHARE_SQL.findOwned);
  const record = eventInserter(database);

  return {
    create: (share, events) =>
      writes.write(() => {
        stmt('insert').run({
          id: share.id,
          tokenHash: share.tokenHash,
          receiptHash: share.receiptHash,
          ciphertext: share.ciphertext,
          passphraseHash: share.passphraseHash ?? null,
          passphraseScope: share.passphraseScope,
          keyCheckHash: share.keyCheckHash ?? null,
          maxViews: share.maxViews,
          createdAt: share.createdAt,
          expiresAt: share.expiresAt,
          ownerKind: share.owner?.kind ?? null,
          ownerId: share.owner?.id ?? null,
        });
        const { upload } = share;
        // The throw undoes the insert too (the job's savepoint): no share without its files.
        if (upload && !files.steps.attach(share.id, upload, share.createdAt)) {
          throw new HushError('upload_incomplete');
        }
        record(events);
      }),

    findLive: async (tokenHash, now) =>
      shareFromRow(stmt('findLive').get(tokenHash, now) as ShareRow | undefined),

    findByReceipt: async (receiptHash) => shareFromRow(findByReceipt.get({ receiptHash })),

    // Guarantee: the guarded UPDATE and the erase run in one savepoint under the write lock, so at
    // most max_views callers across all processes ever match `views_used < max_views`.
    claimView: (id, now, events, grant) =>
      writes.write(() => {
        const row = stmt('claim').get({ id, now }) as
          | Pick<ShareRow, 'ciphertext' | 'views_used' | 'max_views'>
          | undefined;
        if (!row) return undefined;
        const viewsLeft = row.max_views - row.views_used;
        if (viewsLeft === 0) stmt('consume').run({ id, now });
        const download = grant && files.steps.grant(id, grant, viewsLeft === 0);
        record(events);
        // A content-free record (content in Redis) is counted and ended all the same.
        return row.ciphertext ? { ciphertext: row.ciphertext, viewsLeft, download } : undefined;
      }),

    // Guarantee: one UPDATE counts the attempt and, at the limit, burns; exactly one caller sees burned.
    recordFailedAttempt: (id, limit, now, events) =>
      erasing((erased) => {
        const row = stmt('failedAttempt').get({ id, limit, now }) as
          | Pick<ShareRow, 'failed_attempts' | 'state'>
          | undefined;
        if (!row) return undefined;
        const burned = row.state === 'burned';
        if (burned) erased.push(...files.steps.eraseShares([id]));
        record(burned ? [...events.attempt, ...events.burned] : events.attempt);
        return { attempts: row.failed_attempts, burned };
      }),

    burn: (id, reason, now, events) =>
      erasing((erased) => {
        const burned = stmt('burn').run({ id, reason, now }).changes === 1;
        if (burned) erased.push(...files.steps.eraseShares([id]));
        if (burned) record(events);
        return burned;
      }),

    // One short write per batch keeps each hold on the lock brief while traffic goes on.
    expireBatch: (now, limit, eventsFor) =>
      erasing((erased) => {
        const ids = (stmt('expire').all({ now, limit }) as Pick<ShareRow, 'id'>[]).map((row) => row.id);
        erased.push(...files.steps.eraseShares(ids));
        if (ids.length > 0) record(eventsFor(ids));
        return ids;
      }),

    purgeBatch: (endedBefore, limit) => writes.write(() => stmt('purge').run({ endedBefore, limit }).changes),

    listByOwner: async (owner, offset, limit) => {
      const by = { ownerKind: owner.kind, ownerId: owner.id };
      const rows = listByOwner.all({ ...by, limit, offset });
      const total = Number(countByOwner.get(by)?.total ?? 0);
      return { total, shares: rows.map((row) => shareFromRow({ ...row, ciphertext: null }) as ShareRecord) };
    },

    findOwned: async (id, owner) =>
      shareFromRow(findOwned.get({ id, ownerKind: owner.kind, ownerId: owner.id })),

    ownersOf: async (ids) => ownerMap(stmt('ownersOf').all(JSON.stringify(ids)) as OwnerRow[]),

    async mirrorViews(id, viewsUsed, now) {
      await writes.write(() => stmt('mirrorViews').run({ id, viewsUsed, now }));
    },

    async mirrorAttempts(id, attempts, burned, now) {
      await writes.write(() => stmt('mirrorAttempts').run({ id, attempts, burned: burned ? 1 : 0, now }));
    },

    async discard(id) {
      await writes.write(() => discard.run({ id }));
    },
  };
}
