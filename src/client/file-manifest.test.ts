import { describe, expect, it } from 'vitest';
import { encodeBase64url } from './base64url.js';
import { ClientCryptoError, encryptText, newContentKey } from './client-crypto.js';
import { isContentEnvelope, MANIFEST_PREFIX, openContent, sealContent } from './file-manifest.js';

const sealJson = async (key: Uint8Array, json: string) => {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const aes = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
    'encrypt',
  ]);
  const additionalData = new TextEncoder().encode('hush manifest v1');
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData },
    aes,
    new TextEncoder().encode(json),
  );
  return MANIFEST_PREFIX + encodeBase64url(new Uint8Array([...iv, ...new Uint8Array(sealed)]));
};

describe('share content envelope', () => {
  it('keeps a text alone as the v1 envelope, which opens as text with no files', async () => {
    const key = newContentKey();
    const sealed = await sealContent(key, { text: 'hunter2', files: [] });
    expect(sealed.startsWith('h1.')).toBe(true);
    expect(await openContent(key, sealed)).toEqual({ text: 'hunter2', files: [] });
    // One made before files existed opens the same way.
    expect(await openContent(key, await encryptText(key, 'old'))).toEqual({ text: 'old', files: [] });
  });

  it('seals files and an optional text in an h2 envelope that only its key opens', async () => {
    const key = newContentKey();
    const files = [
      { name: 'report.pdf', type: 'application/pdf', size: 123456 },
      { name: 'отчёт ✓.txt', type: '', size: 0 },
    ];
    const sealed = await sealContent(key, { text: 'see attached', files });
    expect(isContentEnvelope(sealed)).toBe(true);
    expect(sealed.startsWith(MANIFEST_PREFIX)).toBe(true);
    expect(sealed).not.toContain('report');
    expect(await openContent(key, sealed)).toEqual({ text: 'see attached', files });
    expect(await openContent(key, await sealContent(key, { files }))).toEqual({ files });
    await expect(openContent(newContentKey(), sealed)).rejects.toThrow(/does not open/);
    // Turned into a v1 envelope, it does not open either (the manifest's associated data).
    await expect(openContent(key, `h1.${sealed.slice(3)}`)).rejects.toBeInstanceOf(ClientCryptoError);
    await expect(openContent(key, 'h3.abc')).rejects.toThrow(/not encrypted by a hush client/);
  });

  it('counts a name in characters as the page and the CLI cut it: 255 emoji fit, 256 do not', async () => {
    const key = newContentKey();
    const named = (name: string) => sealContent(key, { files: [{ name, type: '', size: 0 }] });
    const sealed = await named('😀'.repeat(255));
    expect((await openContent(key, sealed)).files[0]?.name).toBe('😀'.repeat(255));
    await expect(named('😀'.repeat(256))).rejects.toBeInstanceOf(ClientCryptoError);
  });

  it('refuses a manifest it does not understand, and bad entries when sealing', async () => {
    const key = newContentKey();
    await expect(openContent(key, await sealJson(key, '{"v":2,"files":[]}'))).rejects.toThrow(/newer/);
    for (const json of [
      'null',
      '{"v":1}',
      '{"v":1,"files":[{"name":"a","type":"","size":-1}]}',
      '{"v":1,"files":[{"name":"","type":"","size":1}]}',
      '{"v":1,"files":[{"name":"a","size":1}]}',
      '{"v":1,"text":5,"files":[]}',
      `{"v":1,"files":[${Array(101).fill('{"name":"a","type":"","size":1}').join(',')}]}`,
    ]) {
      await expect(openContent(key, await sealJson(key, json))).rejects.toThrow(/not one this client reads/);
    }
    await expect(sealContent(key, { files: [{ name: 'x'.repeat(256), type: '', size: 1 }] })).rejects.toThrow(
      /1 to 255/,
    );
    await expect(sealContent(key, { files: [{ name: 'a', type: '', size: 1.5 }] })).rejects.toThrow(
      /whole number/,
    );
  });
});
