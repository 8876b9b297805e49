import type pg from 'pg';
import { HushError } from '../../errors/hush-error.js';
import type { BlobBytes } from '../blob-bytes.js';
import type { DownloadGrant, NewDownloadGrant, UploadAttachment } from '../file-store.js';

/**
 * The file steps of PostgreSQL's share statements, as CTEs to put inside them: each runs in the
 * share statement's own snapshot and transaction, so a share change and its file change commit
 * together or not at all. Row locks are taken shares first, then uploads, in every statement.
 */

/**
 * Erases every upload of the shares in CTE `ended` (a column `id`): parts, grants, uploads. The
 * statement selects ERASED_BLOBS to learn which blob files to remove after it commits.
 */
export const eraseFilesOf = (ended: string) => `files_gone as (
      delete from uploads f using ${ended} e where f.share_id = e.id returning f.id),
    parts_gone as (delete from upload_parts p using files_gone g where p.upload_id = g.id returning p.blob),
    grants_gone as (delete from download_grants d using files_gone g where d.upload_id = g.id)`;

/** The blob files the CTEs of eraseFilesOf erased (a text[]; empty for bytes in rows). */
export const ERASED_BLOBS = `(select coalesce(array_agg(blob) filter (where blob is not null), '{}')
    from parts_gone) as erased_blobs`;

/**
 * The grants a batch of claims makes, one per claimed share that has attached files, from the
 * offers of parameters `$ids` (share ids), `$keys` (key hashes) and `$expires`; and the release
 * of the files of the shares whose last view was claimed (`last` in CTE `updated`).
 */
export const grantFilesOf = (ids: number, keys: number, expires: number) => `offered as (
      select * from unnest($${ids}::text[], $${keys}::text[], $${expires}::bigint[]) as o(id, key_hash, expires_at)
      where o.key_hash is not null),
    granted as (insert into download_grants (key_hash, upload_id, expires_at)
      select o.key_hash, f.id, o.expires_at from updated u
      join offered o on o.id = u.id
      join uploads f on f.share_id = u.id and f.state = 'attached'
      returning upload_id, expires_at),
    released as (update uploads f set state = 'released' from updated u
      where f.share_id = u.id and f.state = 'attached' and u.views_used >= u.max_views)`;

/** Attaches a complete, open upload to a share; no row when it is not (see FileStore). */
const ATTACH_UPLOAD = `update uploads u set state = 'attached', share_id = $1, key_wrap = $5
    where u.id = $2 and u.key_hash = $3 and u.state = 'open' and u.expires_at > $4
      and (select count(*) from upload_parts p where p.upload_id = u.id) = u.part_count
    returning u.id`;

/**
 * In the create's transaction, after its share row: attaches the upload or fails the whole create.
 * The UPDATE locks the upload's row and re-checks it, so of concurrent creates naming it one attaches.
 */
export async function attachUpload(
  client: pg.PoolClient,
  shareId: string,
  now: number,
  upload: UploadAttachment,
): Promise<void> {
  const attached = await client.query({
    name: 'hush_share_attach_upload',
    text: ATTACH_UPLOAD,
    values: [shareId, upload.id, upload.keyHash, now, upload.keyWrap],
  });
  if (attached.rowCount !== 1) throw new HushError('upload_incomplete');
}

/** The claim statement's parameters for the grants offered (see grantFilesOf), one per claim. */
export const grantParams = (offers: readonly (NewDownloadGrant | undefined)[]) => [
  offers.map((offer) => offer?.keyHash ?? null),
  offers.map((offer) => offer?.expiresAt ?? null),
];

/** The columns the claim statement selects about a view's grant. */
export interface GrantColumns {
  readonly file_bytes: number | null;
  readonly key_wrap: Buffer | null;
  readonly grant_expires_at: number | null;
}

/** A claimed row's grant, when its share had files and the claim offered one. */
export function grantOf(row: GrantColumns): DownloadGrant | undefined {
  if (row.file_bytes === null || row.grant_expires_at === null || row.key_wrap === null) return undefined;
  return { bytes: row.file_bytes, expiresAt: row.grant_expires_at, keyWrap: row.key_wrap };
}

/** Removes the blob files a committed statement's erase named (ERASED_BLOBS; none for rows). */
export async function removeErased(
  blobs: BlobBytes,
  row: { readonly erased_blobs?: string[] | null } | undefined,
): Promise<void> {
  if (row?.erased_blobs?.length) await blobs.remove(row.erased_blobs);
}

/** A grant that may still be used, at `$now` with stale starts before `$stale`. */
export const liveGrant = (now: number, stale: number) => `((g.started_at is null and g.expires_at > $${now})
    or (g.started_at is not null and g.finished_at is null and g.started_at > $${stale}))`;
