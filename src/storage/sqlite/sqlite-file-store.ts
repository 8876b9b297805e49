import type { Database } from 'better-sqlite3';
import { type BlobBytes, blobsOf, removeOrphanBlobs } from '../blob-bytes.js';
import { type FileStore, STALE_DOWNLOAD_MS } from '../file-store.js';
import { uploadFromRow } from '../sql/file-rows.js';
import { FILE_SQL } from '../sql/file-statements.js';
import type { SqliteFileSteps } from './sqlite-file-steps.js';
import { preparedStatements, sqlitePrepared } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const SQL = {
  // The guard is in the statement: a part is written only while its upload is open.
  putPart: `insert into upload_parts (upload_id, n, bytes, data, blob)
    select id, @n, @bytes, @data, @blob from uploads
    where id = @id and key_hash = @keyHash and state = 'open' and expires_at > @now and @n < part_count
    on conflict (upload_id, n) do update set bytes = excluded.bytes, data = excluded.data, blob = excluded.blob
    returning upload_id`,
  oldBlob: `select blob from upload_parts where upload_id = ? and n = ?`,
  start: `update download_grants set started_at = @now
    where key_hash = @keyHash and started_at is null and expires_at > @now
    returning upload_id`,
  uploadOf: `select id, bytes, part_count, state from uploads where id = ?`,
  finish: `update download_grants set finished_at = @now
    where key_hash = @keyHash and started_at is not null and finished_at is null
    returning upload_id`,
} as const;

/**
 * The SQLite file store. Every step that must happen once is one write job (one savepoint under
 * the write lock shared by every process on the file), so its guarantee is its WHERE clause's.
 */
export function createSqliteFileStore(
  database: Database,
  writes: WriteQueue,
  steps: SqliteFileSteps,
  blobs: BlobBytes,
): FileStore {
  const stmt = preparedStatements(database, SQL);
  const insertUpload = sqlitePrepared(database, FILE_SQL.insertUpload);
  const findUpload = sqlitePrepared(database, FILE_SQL.findUpload);
  const readPart = sqlitePrepared(database, FILE_SQL.readPart);
  const namedBlobs = sqlitePrepared(database, FILE_SQL.namedBlobs);

  return {
    createUpload: (upload) => writes.write(() => void insertUpload.run(upload)),

    findUpload: async (id, keyHash) => uploadFromRow(findUpload.get({ id, keyHash })),

    // Guarantee: the guarded INSERT runs under the write lock, so once an attach (which needs the
    // upload open) has committed, no part write matches; a committed write survives kill -9 (WAL).
    async putPart(id, keyHash, n, data, now) {
      const bytes = await blobs.store(id, n, data);
      const stored = await writes.write(() => {
        const old = stmt('oldBlob').get(id, n) as { blob: string | null } | undefined;
        const row = stmt('putPart').get({ id, keyHash, n, now, bytes: data.length, ...bytes });
        return row ? { replaced: old?.blob ?? null } : undefined;
      });
      if (!stored) {
        await blobs.remove(bytes.blob ? [bytes.blob] : []);
        return false;
      }
      if (stored.replaced && stored.replaced !== bytes.blob) await blobs.remove([stored.replaced]);
      return true;
    },

    // Guarantee: `started_at is null` is checked and set by one UPDATE under the write lock.
    startDownload: (keyHash, now) =>
      writes.write(() => {
        const grant = stmt('start').get({ keyHash, now }) as { upload_id: string } | undefined;
        const upload =
          grant &&
          (stmt('uploadOf').get(grant.upload_id) as
            | { id: string; bytes: number; part_count: number; state: string }
            | undefined);
        if (!upload || upload.state === 'open') return undefined;
        return { uploadId: upload.id, bytes: upload.bytes, partCount: upload.part_count };
      }),

    async readPart(uploadId, n) {
      const part = readPart.get({ uploadId, n });
      return part && blobs.load(part);
    },

    async finishDownload(keyHash, now) {
      const erased = await writes.write(() => {
        const grant = stmt('finish').get({ keyHash, now }) as { upload_id: string } | undefined;
        if (!grant) return undefined;
        const upload = stmt('uploadOf').get(grant.upload_id) as { id: string; state: string } | undefined;
        if (upload?.state !== 'released') return undefined;
        if (steps.otherLiveGrant(upload.id, keyHash, now, now - STALE_DOWNLOAD_MS)) return undefined;
        return steps.eraseUploads([upload.id]);
      });
      if (erased) await blobs.remove(erased);
      return erased !== undefined;
    },

    grantAfterClaim: (shareId, grant, last) => writes.write(() => steps.grant(shareId, grant, last)),

    async eraseForShare(shareId) {
      await blobs.remove(await writes.write(() => steps.eraseShares([shareId])));
    },

    async sweepBatch(now, limit, staleStartMs) {
      const result = await writes.write(() => {
        const ids = steps.sweepable(now, limit, now - staleStartMs);
        return { count: ids.length, blobs: steps.eraseUploads(ids) };
      });
      await blobs.remove(result.blobs);
      return result.count;
    },

    sweepOrphans: (olderThanMs) =>
      removeOrphanBlobs(blobs, async (uploadId) => blobsOf(namedBlobs.all({ uploadId })), olderThanMs),
  };
}
