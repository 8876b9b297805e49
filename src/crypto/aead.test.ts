import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, open, seal } from './aead.js';
import { deriveShareKey, shareAssociatedData } from './share-key.js';

const key = randomBytes(32);
const aad = Buffer.from('record-1');

describe('AES-256-GCM envelope', () => {
  it('round-trips with a version byte and a fresh nonce each time', () => {
    const a = seal(key, Buffer.from('hello'), aad);
    const b = seal(key, Buffer.from('hello'), aad);
    expect(a[0]).toBe(1);
    expect(a.equals(b)).toBe(false);
    expect(open(key, a, aad).toString()).toBe('hello');
  });

  it('fails loudly on a flipped byte anywhere', () => {
    const envelope = seal(key, Buffer.from('hello world'), aad);
    for (let i = 1; i < envelope.length; i++) {
      const tampered = Buffer.from(envelope);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      expect(() => open(key, tampered, aad)).toThrow(DecryptionError);
    }
  });

  it('fails for another record (associated data), another key, a bad version or a short envelope', () => {
    const envelope = seal(key, Buffer.from('x'), aad);
    expect(() => open(key, envelope, Buffer.from('record-2'))).toThrow(/authentication failed/);
    expect(() => open(randomBytes(32), envelope, aad)).toThrow(DecryptionError);
    const wrongVersion = Buffer.from(envelope);
    wrongVersion[0] = 2;
    expect(() => open(key, wrongVersion, aad)).toThrow(/unknown envelope version/);
    expect(() => open(key, envelope.subarray(0, 20), aad)).toThrow(/too short/);
  });
});

describe('share keys', () => {
  it('need both the token and the master key, and are bound to the share id', () => {
    const master = randomBytes(32);
    const token = randomBytes(32);
    const k = deriveShareKey(master, token, 'share-a');
    expect(k).toHaveLength(32);
    expect(deriveShareKey(master, token, 'share-a').equals(k)).toBe(true);
    expect(deriveShareKey(randomBytes(32), token, 'share-a').equals(k)).toBe(false);
    expect(deriveShareKey(master, randomBytes(32), 'share-a').equals(k)).toBe(false);
    expect(deriveShareKey(master, token, 'share-b').equals(k)).toBe(false);
  });

  it('a ciphertext moved to another share record does not decrypt', () => {
    const master = randomBytes(32);
    const token = randomBytes(32);
    const sealed = seal(deriveShareKey(master, token, 'a'), Buffer.from('s'), shareAssociatedData('a'));
    expect(() => open(deriveShareKey(master, token, 'b'), sealed, shareAssociatedData('b'))).toThrow(
      DecryptionError,
    );
  });
});
