import { encodeBase64url } from './base64url.js';
import { ClientCryptoError, KEY_BYTES } from './client-crypto.js';

/**
 * The link verifier (docs/link-verifier.md): HKDF-SHA256 of the link's content key under a label of its
 * own, so it says nothing about the AES key yet proves the link is whole. The page and the CLI send
 * it as `key_check` when creating a share and as `key_proof` when revealing or burning one; the
 * server keeps only its SHA-256 and checks it before a view is claimed, so a damaged link spends
 * nothing. An empty salt is fine: the content key is 32 uniformly random bytes.
 */
export const KEY_CHECK_INFO = 'hush link verifier v1';

export async function deriveKeyCheck(contentKey: Uint8Array): Promise<string> {
  if (contentKey.length !== KEY_BYTES) throw new ClientCryptoError('the key must be 32 bytes');
  const material = await crypto.subtle.importKey(
    'raw',
    contentKey as Uint8Array<ArrayBuffer>,
    'HKDF',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: new TextEncoder().encode(KEY_CHECK_INFO),
    },
    material,
    KEY_BYTES * 8,
  );
  return encodeBase64url(new Uint8Array(bits));
}
