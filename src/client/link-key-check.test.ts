import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashKeyCheck, keyProofMatches } from '../shares/link-key-check.js';
import { encodeBase64url } from './base64url.js';
import { newContentKey } from './client-crypto.js';
import { deriveKeyCheck, KEY_CHECK_INFO } from './link-key-check.js';

describe('link verifier', () => {
  it('is HKDF-SHA256 of the content key under its own label, never the key itself', async () => {
    const key = newContentKey();
    const check = await deriveKeyCheck(key);
    // Node's own HKDF agrees with the WebCrypto one the page runs.
    const expected = Buffer.from(hkdfSync('sha256', key, new Uint8Array(0), KEY_CHECK_INFO, 32));
    expect(check).toBe(expected.toString('base64url'));
    expect(check).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(check).not.toBe(encodeBase64url(key));
    expect(await deriveKeyCheck(key)).toBe(check);
    expect(await deriveKeyCheck(newContentKey())).not.toBe(check);
  });

  it('a key that differs in one bit gives a proof the server refuses', async () => {
    const key = newContentKey();
    const stored = hashKeyCheck(await deriveKeyCheck(key));
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(keyProofMatches(stored, await deriveKeyCheck(key))).toBe(true);
    const flipped = Uint8Array.from(key);
    flipped[31] = (flipped[31] ?? 0) ^ 1;
    expect(keyProofMatches(stored, await deriveKeyCheck(flipped))).toBe(false);
    // The stored hash is not itself a proof: a database copy cannot open the check.
    expect(keyProofMatches(stored, Buffer.from(stored, 'hex').toString('base64url'))).toBe(false);
  });

  it('refuses a key that is not 32 bytes', async () => {
    await expect(deriveKeyCheck(new Uint8Array(31))).rejects.toThrow(/32 bytes/);
  });
});
