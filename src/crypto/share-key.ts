import { hkdfSync } from 'node:crypto';

/**
 * The content key of a share: HKDF-SHA256 over the server master key, salted with the share token
 * and bound to the share id. A copy of the database, or the master key alone, opens nothing.
 */
export function deriveShareKey(masterKey: Buffer, tokenBytes: Buffer, shareId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, tokenBytes, `hush/share-content/v1/${shareId}`, 32));
}

/** Associated data for a share's ciphertext: it only decrypts as the record it was written for. */
export function shareAssociatedData(shareId: string): Buffer {
  return Buffer.from(`hush/share/v1/${shareId}`, 'utf8');
}
