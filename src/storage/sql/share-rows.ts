import type { Selectable } from 'kysely';
import type { EndReason, PassphraseScope, ShareState } from '../../shares/share-types.js';
import type { ShareRecord } from '../share-store.js';
import type { SharesTable } from './schema.js';

/** A `shares` row as both SQL drivers return it (blob/bytea as Buffer, times as numbers). */
export type ShareRow = Selectable<SharesTable>;

/** A `shares` row as the domain's ShareRecord; undefined for no row. */
export function shareFromRow(row: ShareRow | undefined): ShareRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id,
    tokenHash: row.token_hash,
    receiptHash: row.receipt_hash,
    ciphertext: row.ciphertext ?? undefined,
    passphraseHash: row.passphrase_hash ?? undefined,
    passphraseScope: row.passphrase_scope as PassphraseScope,
    keyCheckHash: row.key_check_hash ?? undefined,
    maxViews: row.max_views,
    viewsUsed: row.views_used,
    failedAttempts: row.failed_attempts,
    state: row.state as ShareState,
    endReason: (row.end_reason ?? undefined) as EndReason | undefined,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at ?? undefined,
  };
}
