import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, seal } from '../crypto/aead.js';
import { openContent, sealContent, wrapDataKey } from './secret-crypto.js';

const kek = { version: 3, key: randomBytes(32) };
const ref = { secretId: 'c0ffee00-0000-4000-8000-000000000001', version: 2 };

/**
 * A plaintext sealed as hush seals a version: the content under a fresh data key bound to the
 * record, the data key wrapped by the keyring key. The AAD text is the stored format: written out
 * here, so a change to it (which would strand every stored version) fails this test.
 */
function sealedPlaintext(plaintext: unknown) {
  const dataKey = randomBytes(32);
  const aad = Buffer.from(`hush/secret/v1/${ref.secretId}/${ref.version}`, 'utf8');
  return {
    ciphertext: seal(dataKey, Buffer.from(JSON.stringify(plaintext), 'utf8'), aad),
    wrappedKey: wrapDataKey(kek, ref, dataKey),
  };
}

describe('secret version content', () => {
  it('seals KV data with its metadata and opens it back', () => {
    const content = { data: { user: 'app', password: 'pä55' }, metadata: { env: 'prod' } };
    expect(openContent(kek, ref, sealContent(kek, ref, content))).toEqual(content);
  });

  it('opens a version sealed before KV data ({value, metadata}) as the data {value}', () => {
    const legacy = sealedPlaintext({ value: 'hunter2', metadata: { owner: 'billing' } });
    expect(openContent(kek, ref, legacy)).toEqual({
      data: { value: 'hunter2' },
      metadata: { owner: 'billing' },
    });
  });

  it('refuses plaintext of any other shape as not a secret', () => {
    for (const plaintext of [
      { data: { a: 1 }, metadata: {} },
      { value: 7, metadata: {} },
      { data: { a: 'b' } },
      { data: ['a'], metadata: {} },
      { value: 'v', data: 'x', metadata: {} },
      'just text',
      null,
    ]) {
      expect(() => openContent(kek, ref, sealedPlaintext(plaintext)), JSON.stringify(plaintext)).toThrow(
        DecryptionError,
      );
    }
  });

  it('does not open content moved to another version', () => {
    const sealed = sealContent(kek, ref, { data: { a: 'b' }, metadata: {} });
    expect(() => openContent(kek, { ...ref, version: 3 }, sealed)).toThrow(DecryptionError);
  });
});
