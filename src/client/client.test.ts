import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, makeHush } from '../../test/helpers/hush-fixture.js';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import { ClientCryptoError, decryptText, encryptText, isEnvelope, newContentKey } from './client-crypto.js';
import {
  formatReceiptLink,
  formatShareLink,
  LinkError,
  parseReceiptLink,
  parseShareLink,
} from './share-link.js';

const KEY43 = `${'A'.repeat(42)}w`;

describe('base64url', () => {
  it('round-trips every length and matches Node’s encoder; refuses non-canonical text', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      const text = encodeBase64url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(decodeBase64url(text)).toEqual(bytes);
    }
    expect(decodeBase64url('AB')).toBeUndefined(); // stray low bits
    expect(decodeBase64url('A')).toBeUndefined();
    expect(decodeBase64url('a+b/')).toBeUndefined();
  });
});

describe('client envelope', () => {
  it('encrypts to a versioned envelope that only its key opens, and never the same twice', async () => {
    const key = newContentKey();
    const text = '\uFEFFdb password: hunter2 ✓ \u0000 end'; // a leading BOM is content too
    const sealed = await encryptText(key, text);
    expect(isEnvelope(sealed)).toBe(true);
    expect(sealed).not.toContain('hunter2');
    expect(await encryptText(key, text)).not.toBe(sealed);
    expect(await decryptText(key, sealed)).toBe(text);
    await expect(decryptText(newContentKey(), sealed)).rejects.toBeInstanceOf(ClientCryptoError);
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1);
    await expect(decryptText(key, flipped)).rejects.toBeInstanceOf(ClientCryptoError);
    await expect(decryptText(key, 'plain text')).rejects.toThrow(/not encrypted by a hush client/);
  });
});

describe('link format v1', () => {
  it('formats and parses share and receipt links, behind a path prefix too', () => {
    const key = newContentKey();
    const link = formatShareLink('https://hush.example.com/', KEY43, key);
    expect(link).toMatch(/^https:\/\/hush\.example\.com\/s\/A{42}w#1\.[A-Za-z0-9_-]{43}$/);
    expect(parseShareLink(link)).toEqual({
      base: 'https://hush.example.com',
      secretKey: KEY43,
      contentKey: key,
    });
    expect(parseShareLink(`http://h:8080/x/y/s/${KEY43}`)).toEqual({
      base: 'http://h:8080/x/y',
      secretKey: KEY43,
      contentKey: undefined,
    });
    // Version 2: the same key, for a share with files.
    const files = formatShareLink('https://h', KEY43, key, { withFiles: true });
    expect(files).toMatch(/#2\.[A-Za-z0-9_-]{43}$/);
    expect(parseShareLink(files)).toEqual({
      base: 'https://h',
      secretKey: KEY43,
      contentKey: key,
      withFiles: true,
    });
    expect(parseShareLink(link).withFiles).toBeUndefined();
    expect(parseReceiptLink(formatReceiptLink('https://h/', KEY43))).toEqual({
      base: 'https://h',
      receiptKey: KEY43,
    });
  });

  it.each([
    ['not a url', /not a link/],
    [`ftp://h/s/${KEY43}`, /http/],
    [`https://h/r/${KEY43}`, /not a share link/],
    [`https://h/s/short#1.abc`, /damaged or incomplete/],
    [`https://h/x/${KEY43}`, /not a share link/],
    [`https://h/s/${KEY43}#3.${'A'.repeat(43)}`, /newer than this client/],
    [
      `https://h/s/${KEY43}#1.${'A'.repeat(40)}`,
      /incomplete: the key after # was cut short.*nothing was used up/,
    ],
    [`https://h/s/${KEY43}#1.${'A'.repeat(44)}`, /damaged/],
    [`https://h/s/${KEY43}#1.${'A'.repeat(42)}B`, /damaged/], // stray low bits: not one of our keys
    [`https://h/s/${KEY43}#junk`, /damaged/],
  ])('refuses %s', (text, message) => {
    expect(() => parseShareLink(text)).toThrow(LinkError);
    expect(() => parseShareLink(text)).toThrow(message);
  });
});

describe('share API client against a real hush', () => {
  let f: HushFixture;
  let base: string;
  beforeAll(async () => {
    f = await makeHush();
    base = await f.hush.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => f?.close());

  it('creates, peeks, reveals, follows the receipt and reports errors by code', async () => {
    const { createShareApi } = await import('./share-api.js');
    const api = createShareApi(base);
    const created = await api.create({
      secret: 'h1.opaque',
      passphrase: 'pass phrase',
      maxViews: 2,
      ttlSeconds: 600,
    });
    expect(await api.status(created.secretKey)).toMatchObject({ passphraseRequired: true, viewsLeft: 2 });
    await expect(api.reveal(created.secretKey, 'wrong')).rejects.toMatchObject({
      code: 'passphrase_invalid',
      status: 403,
    });
    expect(await api.reveal(created.secretKey, 'pass phrase')).toEqual({ secret: 'h1.opaque', viewsLeft: 1 });
    const receipt = await api.receipt(created.receiptKey);
    expect(receipt).toMatchObject({ state: 'pending', viewsUsed: 1, failedPassphraseAttempts: 1 });
    await api.burnByReceipt(created.receiptKey);
    await expect(api.status(created.secretKey)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(createShareApi('http://127.0.0.1:1').status(created.secretKey)).rejects.toMatchObject({
      code: 'network',
    });
  });
});
