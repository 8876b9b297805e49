import { randomUUID } from 'node:crypto';
import type { NewShareRecord } from '../../src/storage/share-store.js';

export const MINUTE = 60_000;

/** A share as the service would store it (one view, ten minutes); the content is a recognisable plain buffer. */
export function newShare(overrides: Partial<NewShareRecord> = {}): NewShareRecord {
  const id = randomUUID();
  const now = Date.now();
  return {
    id,
    tokenHash: `token-${id}`,
    receiptHash: `receipt-${id}`,
    ciphertext: Buffer.from(`content-${id}`),
    passphraseHash: undefined,
    passphraseScope: 'reveal',
    maxViews: 1,
    createdAt: now,
    expiresAt: now + 10 * MINUTE,
    ...overrides,
  };
}
