import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, open, seal } from './aead.js';
import { deriveShareKey, hkdfSha256, shareAssociatedData } from './share-key.js';

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

  it('never hands out a nonce twice, across several refills of its pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(seal(key, Buffer.alloc(0), aad).subarray(1, 13).toString('hex'));
    expect(seen.size).toBe(1000);
  });

  it('keeps the stored format: [0x01][nonce 12][ciphertext][tag 16], readable by plain node:crypto', () => {
    const plaintext = randomBytes(100);
    const envelope = seal(key, plaintext, aad);
    expect(envelope).toHaveLength(1 + 12 + 100 + 16);
    const decipher = createDecipheriv('aes-256-gcm', key, envelope.subarray(1, 13));
    decipher.setAAD(aad);
    decipher.setAuthTag(envelope.subarray(113));
    expect(Buffer.concat([decipher.update(envelope.subarray(13, 113)), decipher.final()])).toEqual(plaintext);
    // And the other way round: an envelope built by hand opens.
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    expect(open(key, Buffer.concat([Buffer.of(1), nonce, body, cipher.getAuthTag()]), aad)).toEqual(
      plaintext,
    );
    expect(open(key, seal(key, Buffer.alloc(0), aad), aad)).toHaveLength(0);
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

describe('HKDF-SHA256', () => {
  const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

  it('matches RFC 5869 test case 3 (empty salt and info) and the first block of test case 1', () => {
    // Test case 3: OKM has 42 bytes; one block gives its first 32.
    const tc3 = hkdfSha256(hex('0b'.repeat(22)), Buffer.alloc(0), Buffer.alloc(0));
    expect(tc3.toString('hex')).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d');
    const tc1 = hkdfSha256(
      hex('0b'.repeat(22)),
      hex('000102030405060708090a0b0c'),
      hex('f0f1f2f3f4f5f6f7f8f9'),
    );
    expect(tc1.toString('hex')).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf');
  });

  it('equals crypto.hkdfSync for random inputs', () => {
    for (let i = 0; i < 50; i++) {
      const [ikm, salt, info] = [randomBytes(32), randomBytes(32), randomBytes(i)];
      expect(hkdfSha256(ikm, salt, info).equals(Buffer.from(hkdfSync('sha256', ikm, salt, info, 32)))).toBe(
        true,
      );
    }
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
