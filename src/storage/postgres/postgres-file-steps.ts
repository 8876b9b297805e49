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
export const ATTACH_UPLOAD = `update uploads u set state = 'attached', share_id = $1
    where u.id = $2 and u.key_hash = $3 and u.state = 'open' and u.expires_at > $4
      and (select count(*) from upload_parts p where p.upload_id = u.id) = u.part_count
    returning u.id`;

/** A grant that may still be used, at `$now` with stale starts before `$stale`. */
export const liveGrant = (now: number, stale: number) => `((g.started_at is null and g.expires_at > $${now})
    or (g.started_at is not null and g.finished_at is null and g.started_at > $${stale}))`;
