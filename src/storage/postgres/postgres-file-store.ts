import type pg from 'pg';
import { type BlobBytes, blobsOf, removeOrphanBlobs } from '../blob-bytes.js';
import { type FileStore, STALE_DOWNLOAD_MS } from '../file-store.js';
import { uploadFromRow } from '../sql/file-rows.js';
import { FILE_SQL } from '../sql/file-statements.js';
import { liveGrant } from './postgres-file-steps.js';
import { runPostgres } from './postgres-prepared.js';
import { inTransaction } from './postgres-transaction.js';

const ERASE = `parts_gone as (delete from upload_parts p using gone g where p.upload_id = g.id returning p.blob),
    grants_gone as (delete from download_grants d using gone g where d.upload_id = g.id)
    select coalesce(array_agg(blob) filter (where blob is not null), '{}') as erased_blobs,
      (select count(*)::int from gone) as erased from parts_gone`;

/**
 * Each statement's guarantee can be read off its WHERE clause and its locks (READ COMMITTED: an
 * UPDATE that waited on a row re-checks its WHERE against the committed row).
 */
const SQL = {
  // FOR SHARE on the upload: an attach (an UPDATE of that row) waits for this part to commit, and
  // a part write that waited for an attach finds the upload no longer open.
  lockOpen: `select id from uploads where id = $1 and key_hash = $2 and state = 'open' and expires_at > $3
    and $4 < part_count for share`,
  putPart: `insert into upload_parts (upload_id, n, bytes, data, blob) values ($1, $2, $3, $4, $5)
    on conflict (upload_id, n) do update set bytes = excluded.bytes, data = excluded.data, blob = excluded.blob
    returning (select blob from upload_parts where upload_id = $1 and n = $2) as replaced`,
  start: `with started as (update download_grants set started_at = $2
      where key_hash = $1 and started_at is null and expires_at > $2 returning upload_id)
    select f.id, f.bytes, f.part_count from started s join uploads f on f.id = s.upload_id
    where f.state <> 'open'`,
  finish: `update download_grants set finished_at = $2
    where key_hash = $1 and started_at is not null and finished_at is null returning upload_id`,
  // The upload row lock serializes the ends of its downloads: the last to take it sees the others ended.
  lockReleased: `select id from uploads where id = $1 and state = 'released' for update`,
  otherLive: `select 1 from download_grants g where g.upload_id = $1 and g.key_hash <> $2
    and ${liveGrant(3, 4)} limit 1`,
  eraseUpload: `with gone as (delete from uploads where id = $1 returning id), ${ERASE}`,
  grantAfterClaim: `with upload as (select id, bytes from uploads where share_id = $1 and state = 'attached' for update),
    granted as (insert into download_grants (key_hash, upload_id, expires_at)
      select $2, id, $3 from upload returning expires_at),
    released as (update uploads f set state = 'released' from upload u where f.id = u.id and $4)
    select u.bytes, g.expires_at from upload u join granted g on true`,
  eraseForShare: `with gone as (delete from uploads where share_id = $1 returning id), ${ERASE}`,
  // SKIP LOCKED: concurrent sweepers take disjoint batches.
  sweep: `with gone as (delete from uploads u where u.id in (
      select c.id from uploads c where
        (c.state = 'open' and c.expires_at <= $1)
        or (c.state = 'attached' and not exists
          (select 1 from shares s where s.id = c.share_id and s.state = 'pending'))
        or (c.state = 'released' and not exists
          (select 1 from download_grants g where g.upload_id = c.id and ${liveGrant(1, 3)}))
      limit $2 for update skip locked) returning u.id), ${ERASE}`,
  deadGrants: `delete from download_grants g where not ${liveGrant(1, 2)}
    and (g.started_at is not null or g.expires_at <= $1)`,
} as const;

type StatementName = keyof typeof SQL;

/** The PostgreSQL file store: one statement or one short transaction per step, on the pool. */
export function createPostgresFileStore(pool: pg.Pool, blobs: BlobBytes): FileStore {
  const run = <R extends pg.QueryResultRow>(
    name: StatementName,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = pool,
  ) => on.query<R>({ name: `hush_file_${name}`, text: SQL[name], values });
  const removeErased = async (row: { erased_blobs: string[] } | undefined) => {
    if (row?.erased_blobs.length) await blobs.remove(row.erased_blobs);
  };

  return {
    async createUpload(upload) {
      await runPostgres(pool, FILE_SQL.insertUpload, upload);
    },

    findUpload: async (id, keyHash) =>
      uploadFromRow((await runPostgres(pool, FILE_SQL.findUpload, { id, keyHash })).rows[0]),

    async putPart(id, keyHash, n, data, now) {
      const bytes = await blobs.store(id, n, data);
      const stored = await inTransaction(pool, async (client) => {
        if ((await run('lockOpen', [id, keyHash, now, n], client)).rowCount !== 1) return undefined;
        const { rows } = await run<{ replaced: string | null }>(
          'putPart',
          [id, n, data.length, bytes.data, bytes.blob],
          client,
        );
        return { replaced: rows[0]?.replaced ?? null };
      });
      if (!stored) {
        await blobs.remove(bytes.blob ? [bytes.blob] : []);
        return false;
      }
      if (stored.replaced && stored.replaced !== bytes.blob) await blobs.remove([stored.replaced]);
      return true;
    },

    // Guarantee: the UPDATE locks the grant row and re-checks `started_at is null` on its latest
    // version, so of concurrent starts exactly one matches.
    async startDownload(keyHash, now) {
      const row = (await run<{ id: string; bytes: number; part_count: number }>('start', [keyHash, now]))
        .rows[0];
      return row && { uploadId: row.id, bytes: row.bytes, partCount: row.part_count };
    },

    async readPart(uploadId, n) {
      const part = (await runPostgres(pool, FILE_SQL.readPart, { uploadId, n })).rows[0];
      return part && blobs.load(part);
    },

    async finishDownload(keyHash, now) {
      const erased = await inTransaction(pool, async (client) => {
        const grant = (await run<{ upload_id: string }>('finish', [keyHash, now], client)).rows[0];
        if (!grant) return undefined;
        if ((await run('lockReleased', [grant.upload_id], client)).rowCount !== 1) return undefined;
        const staleBefore = now - STALE_DOWNLOAD_MS;
        if ((await run('otherLive', [grant.upload_id, keyHash, now, staleBefore], client)).rowCount)
          return undefined;
        return (await run<{ erased_blobs: string[] }>('eraseUpload', [grant.upload_id], client)).rows[0];
      });
      await removeErased(erased);
      return erased !== undefined;
    },

    async grantAfterClaim(shareId, grant, last) {
      const row = (
        await run<{ bytes: number; expires_at: number }>('grantAfterClaim', [
          shareId,
          grant.keyHash,
          grant.expiresAt,
          last,
        ])
      ).rows[0];
      return row && { bytes: row.bytes, expiresAt: row.expires_at };
    },

    async eraseForShare(shareId) {
      await removeErased((await run<{ erased_blobs: string[] }>('eraseForShare', [shareId])).rows[0]);
    },

    async sweepBatch(now, limit, staleStartMs) {
      const row = (
        await run<{ erased_blobs: string[]; erased: number }>('sweep', [now, limit, now - staleStartMs])
      ).rows[0];
      await run('deadGrants', [now, now - staleStartMs]);
      await removeErased(row);
      return row?.erased ?? 0;
    },

    sweepOrphans: (olderThanMs) =>
      removeOrphanBlobs(
        blobs,
        async (uploadId) => blobsOf((await runPostgres(pool, FILE_SQL.namedBlobs, { uploadId })).rows),
        olderThanMs,
      ),
  };
}
