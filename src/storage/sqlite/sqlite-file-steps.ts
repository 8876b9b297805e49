import type { Database } from 'better-sqlite3';
import type { DownloadGrant, NewDownloadGrant } from '../file-store.js';
import { preparedStatements } from './sqlite-prepared.js';

/** A grant that may still be used: not started and not lapsed, or started, not ended, not stale. */
const LIVE_GRANT = `((g.started_at is null and g.expires_at > @now)
  or (g.started_at is not null and g.finished_at is null and g.started_at > @staleBefore))`;

const SQL = {
  // Complete = every part present: each part's size is fixed by its index (sqlite-file-store.ts).
  attach: `update uploads set state = 'attached', share_id = @shareId
    where id = @id and key_hash = @keyHash and state = 'open' and expires_at > @now
      and (select count(*) from upload_parts where upload_id = @id) = part_count`,
  attachedOf: `select id, bytes from uploads where share_id = ? and state = 'attached'`,
  grant: `insert into download_grants (key_hash, upload_id, expires_at) values (@keyHash, @uploadId, @expiresAt)`,
  release: `update uploads set state = 'released' where id = ? and state = 'attached'`,
  uploadsOf: `select id from uploads where share_id = ?`,
  blobsOf: `select blob from upload_parts where upload_id = ? and blob is not null`,
  deleteParts: `delete from upload_parts where upload_id = ?`,
  deleteGrants: `delete from download_grants where upload_id = ?`,
  deleteUpload: `delete from uploads where id = ?`,
  otherLive: `select 1 from download_grants g
    where g.upload_id = @uploadId and g.key_hash != @keyHash and ${LIVE_GRANT} limit 1`,
  releasedUnused: `select id from uploads u where u.state = 'released'
    and not exists (select 1 from download_grants g where g.upload_id = u.id and ${LIVE_GRANT}) limit @limit`,
  openLapsed: `select id from uploads where state = 'open' and expires_at <= @now limit @limit`,
  attachedOrphans: `select id from uploads u where u.state = 'attached' and not exists
    (select 1 from shares s where s.id = u.share_id and s.state = 'pending') limit @limit`,
  deadGrants: `delete from download_grants as g where not ${LIVE_GRANT}
    and (g.started_at is not null or g.expires_at <= @now)`,
} as const;

/**
 * The file steps of SQLite's share and file stores, each synchronous so that it runs inside the
 * caller's write job: one savepoint with the share change it belongs to. Erasing returns the blob
 * files its rows named, for the caller to remove once the job has committed.
 */
export interface SqliteFileSteps {
  /** Attaches a complete, open upload to `shareId`; false when it is not (nothing changed). */
  attach(shareId: string, id: string, keyHash: string, now: number): boolean;
  /** Makes a claimed view's grant when the share has attached files; on the last view, releases them. */
  grant(shareId: string, grant: NewDownloadGrant, last: boolean): DownloadGrant | undefined;
  /** Erases every upload of these shares: parts, grants and the upload rows. */
  eraseShares(shareIds: readonly string[]): string[];
  /** Erases these uploads. */
  eraseUploads(uploadIds: readonly string[]): string[];
  /** Whether another grant of `uploadId` than `keyHash` may still be used. */
  otherLiveGrant(uploadId: string, keyHash: string, now: number, staleBefore: number): boolean;
  /** Uploads the sweeper may erase, and the dead grants deleted (see FileStore.sweepBatch). */
  sweepable(now: number, limit: number, staleBefore: number): string[];
}

export function sqliteFileSteps(database: Database): SqliteFileSteps {
  const stmt = preparedStatements(database, SQL);
  const eraseUploads = (uploadIds: readonly string[]) => {
    const blobs: string[] = [];
    for (const id of uploadIds) {
      for (const row of stmt('blobsOf').all(id) as { blob: string }[]) blobs.push(row.blob);
      stmt('deleteParts').run(id);
      stmt('deleteGrants').run(id);
      stmt('deleteUpload').run(id);
    }
    return blobs;
  };
  return {
    attach: (shareId, id, keyHash, now) => stmt('attach').run({ shareId, id, keyHash, now }).changes === 1,
    grant(shareId, grant, last) {
      const upload = stmt('attachedOf').get(shareId) as { id: string; bytes: number } | undefined;
      if (!upload) return undefined;
      stmt('grant').run({ keyHash: grant.keyHash, uploadId: upload.id, expiresAt: grant.expiresAt });
      if (last) stmt('release').run(upload.id);
      return { bytes: upload.bytes, expiresAt: grant.expiresAt };
    },
    eraseShares: (shareIds) =>
      eraseUploads(
        shareIds.flatMap((id) => (stmt('uploadsOf').all(id) as { id: string }[]).map((r) => r.id)),
      ),
    eraseUploads,
    otherLiveGrant: (uploadId, keyHash, now, staleBefore) =>
      stmt('otherLive').get({ uploadId, keyHash, now, staleBefore }) !== undefined,
    sweepable(now, limit, staleBefore) {
      const ids = new Set<string>();
      const take = (rows: unknown[]) => {
        for (const row of rows as { id: string }[]) ids.add(row.id);
      };
      take(stmt('openLapsed').all({ now, limit }));
      if (ids.size < limit) take(stmt('attachedOrphans').all({ limit: limit - ids.size }));
      if (ids.size < limit) take(stmt('releasedUnused').all({ now, staleBefore, limit: limit - ids.size }));
      stmt('deadGrants').run({ now, staleBefore });
      return [...ids];
    },
  };
}
