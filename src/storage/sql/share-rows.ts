import type { Selectable } from 'kysely';
import type { PrincipalKind } from '../../domain/principal.js';
import type { EndReason, PassphraseScope, ShareOwner, ShareState } from '../../shares/share-types.js';
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
    owner:
      row.owner_kind && row.owner_id
        ? { kind: row.owner_kind as PrincipalKind, id: row.owner_id }
        : undefined,
  };
}

/** The owner columns of a share row, as the owner lookups select them. */
export type OwnerRow = Pick<ShareRow, 'id' | 'owner_kind' | 'owner_id'>;

/** Share id → owner, for the rows that have one. */
export function ownerMap(rows: readonly OwnerRow[]): ReadonlyMap<string, ShareOwner> {
  const owners = new Map<string, ShareOwner>();
  for (const row of rows) {
    if (row.owner_kind && row.owner_id)
      owners.set(row.id, { kind: row.owner_kind as PrincipalKind, id: row.owner_id });
  }
  return owners;
}
