import type { AuditEvent } from '../../audit/audit-types.js';
import type { NewShareRecord } from '../share-store.js';
import { eventParams, ownedBy } from './postgres-event-rows.js';

/**
 * The parameters of the share store's batched insert (one array per column, then the events), for
 * the batch of concurrent creates and for a create with files, which runs alone in a transaction.
 */
export function shareInsertValues(
  creates: readonly { readonly record: NewShareRecord; readonly events: readonly AuditEvent[] }[],
): unknown[] {
  const records = creates.map((c) => c.record);
  return [
    records.map((r) => r.id),
    records.map((r) => r.tokenHash),
    records.map((r) => r.receiptHash),
    records.map((r) => r.ciphertext ?? null),
    records.map((r) => r.passphraseHash ?? null),
    records.map((r) => r.passphraseScope),
    records.map((r) => r.keyCheckHash ?? null),
    records.map((r) => r.maxViews),
    records.map((r) => r.createdAt),
    records.map((r) => r.expiresAt),
    records.map((r) => r.owner?.kind ?? null),
    records.map((r) => r.owner?.id ?? null),
    ...eventParams(creates.flatMap((c) => ownedBy(c.record.id, c.events))),
  ];
}
