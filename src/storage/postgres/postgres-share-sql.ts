import { SHARE_COLUMNS } from '../sql/share-statements.js';
import { insertEvents } from './postgres-event-rows.js';
import { ERASED_BLOBS, eraseFilesOf, grantFilesOf } from './postgres-file-steps.js';

/** Named columns rather than `*`: a prepared `select *` fails once a migration adds a column. */
const COLUMNS = SHARE_COLUMNS.join(', ');

/**
 * Every statement on the request path, each a named prepared statement: parsed once per
 * connection, then one bound execution per call. Each guarantee can be read off its WHERE clause;
 * all run at READ COMMITTED, where an UPDATE (or SELECT … FOR UPDATE) that waits on a row another
 * transaction changed re-checks its WHERE against the committed row before acting on it.
 */
export const SHARE_STATEMENTS = {
  // One row per array element: concurrent creates share one statement (see postgres-batcher.ts),
  // their audit events too (one JSON parameter, each event owned by its share).
  insert: `with created as (
      insert into shares (id, token_hash, receipt_hash, ciphertext, passphrase_hash, passphrase_scope,
        key_check_hash, max_views, created_at, expires_at, owner_kind, owner_id)
      select * from unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[],
        $7::text[], $8::integer[], $9::bigint[], $10::bigint[], $11::text[], $12::text[])
      returning id),
    logged as (${insertEvents(13, 'join created on created.id = e.owner')})
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
    select u.id, u.ciphertext, u.views_used, u.max_views, f.bytes as file_bytes, f.key_wrap,
      g.expires_at as grant_expires_at
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
} as const;

export type ShareStatementName = keyof typeof SHARE_STATEMENTS;
