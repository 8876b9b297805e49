import type { SharesTable } from './schema.js';
import { statement } from './sql-statement.js';

/** Named columns rather than `*`: a prepared `select *` fails on PostgreSQL once a migration adds one. */
export const SHARE_COLUMNS = [
  'id',
  'token_hash',
  'receipt_hash',
  'ciphertext',
  'passphrase_hash',
  'passphrase_scope',
  'key_check_hash',
  'max_views',
  'views_used',
  'failed_attempts',
  'state',
  'end_reason',
  'created_at',
  'expires_at',
  'ended_at',
  'owner_kind',
  'owner_id',
] as const satisfies readonly (keyof SharesTable)[];

/**
 * The share statements both dialects run. Every other one differs, each for a reason its dialect
 * file gives: PostgreSQL batches creates, lookups and claims (unnest, row locks in id order) and
 * writes their events in the same statement; SQLite runs each in one write job; the mirrors raise
 * a count with max() on SQLite and greatest() on PostgreSQL; the sweeps use SKIP LOCKED there.
 */
export const SHARE_SQL = {
  findByReceipt: statement<{ receiptHash: string }>()('share_find_by_receipt', (db, p) =>
    db.selectFrom('shares').select(SHARE_COLUMNS).where('receipt_hash', '=', p('receiptHash')),
  ),
  // An owner's shares, newest first (the shares_owner index); the id breaks ties in one millisecond.
  // A list is a summary: the content is never read (a page of large secrets would be megabytes).
  listByOwner: statement<{ ownerKind: string; ownerId: string; limit: number; offset: number }>()(
    'share_list_by_owner',
    (db, p) =>
      db
        .selectFrom('shares')
        .select(SHARE_COLUMNS.filter((column) => column !== 'ciphertext'))
        .where('owner_id', '=', p('ownerId'))
        .where('owner_kind', '=', p('ownerKind'))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(p('limit'))
        .offset(p('offset')),
  ),
  countByOwner: statement<{ ownerKind: string; ownerId: string }>()('share_count_by_owner', (db, p) =>
    db
      .selectFrom('shares')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('owner_id', '=', p('ownerId'))
      .where('owner_kind', '=', p('ownerKind')),
  ),
  findOwned: statement<{ id: string; ownerKind: string; ownerId: string }>()('share_find_owned', (db, p) =>
    db
      .selectFrom('shares')
      .select(SHARE_COLUMNS)
      .where('id', '=', p('id'))
      .where('owner_id', '=', p('ownerId'))
      .where('owner_kind', '=', p('ownerKind')),
  ),
  // Only a pending content-free record: never a share whose content is here, nor one that ended.
  discard: statement<{ id: string }>()('share_discard', (db, p) =>
    db
      .deleteFrom('shares')
      .where('id', '=', p('id'))
      .where('state', '=', 'pending')
      .where('ciphertext', 'is', null),
  ),
} as const;
