import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import {
  checkRequestKey,
  decryptAnswer,
  encryptAnswer,
  newRequestKeyPair,
  RequestCryptoError,
} from './request-crypto.js';
import { looksLikeRequestEnvelope, requestEnvelopeLength } from './request-envelope.js';

describe('request answers (ECDH P-256, HKDF-SHA-256, AES-256-GCM)', () => {
  it('round trip: what the responder encrypts to the public key, the private key opens', async () => {
    const pair = await newRequestKeyPair();
    const text = 'db password: hunter2 — ключ 🔑';
    const envelope = await encryptAnswer(pair.publicKey, text);
    expect(envelope.startsWith('hr1.')).toBe(true);
    expect(envelope).not.toContain('hunter2');
    expect(looksLikeRequestEnvelope(envelope)).toBe(true);
    expect(envelope.length).toBeLessThanOrEqual(requestEnvelopeLength(new TextEncoder().encode(text).length));
    expect(await decryptAnswer(pair.privateKey, envelope)).toBe(text);
    // A fresh ephemeral key each time: two answers of the same text differ.
    expect(await encryptAnswer(pair.publicKey, text)).not.toBe(envelope);
  });

  it('an empty answer round-trips and fits the shortest envelope', async () => {
    const pair = await newRequestKeyPair();
    const envelope = await encryptAnswer(pair.publicKey, '');
    expect(envelope.length).toBeLessThanOrEqual(requestEnvelopeLength(0));
    expect(looksLikeRequestEnvelope(envelope)).toBe(true);
    expect(await decryptAnswer(pair.privateKey, envelope)).toBe('');
  });

  it('another key pair cannot open it', async () => {
    const pair = await newRequestKeyPair();
    const other = await newRequestKeyPair();
    const envelope = await encryptAnswer(pair.publicKey, 'secret');
    await expect(decryptAnswer(other.privateKey, envelope)).rejects.toThrow(RequestCryptoError);
  });

  it('a changed envelope is refused: ciphertext, nonce or ephemeral key', async () => {
    const pair = await newRequestKeyPair();
    const envelope = await encryptAnswer(pair.publicKey, 'secret');
    const body = decodeBase64url(envelope.slice(4)) as Uint8Array;
    for (const at of [body.length - 1, 70, 66]) {
      const changed = body.slice();
      changed[at] = (changed[at] ?? 0) ^ 1;
      await expect(decryptAnswer(pair.privateKey, `hr1.${encodeBase64url(changed)}`)).rejects.toThrow(
        RequestCryptoError,
      );
    }
    await expect(decryptAnswer(pair.privateKey, envelope.slice(0, -4))).rejects.toThrow(RequestCryptoError);
    await expect(decryptAnswer(pair.privateKey, `h1.${envelope.slice(4)}`)).rejects.toThrow(
      RequestCryptoError,
    );
  });

  it("checks a link's private key before anything is revealed: a cut one is refused, a whole one passes", async () => {
    const { privateKey } = await newRequestKeyPair();
    await expect(checkRequestKey(privateKey)).resolves.toBeUndefined();
    await expect(checkRequestKey(privateKey.subarray(0, privateKey.length - 9))).rejects.toBeInstanceOf(
      RequestCryptoError,
    );
    await expect(checkRequestKey(new Uint8Array(0))).rejects.toBeInstanceOf(RequestCryptoError);
  });

  it('a damaged private or public key is refused', async () => {
    const pair = await newRequestKeyPair();
    const envelope = await encryptAnswer(pair.publicKey, 'secret');
    await expect(decryptAnswer(pair.privateKey.slice(0, 40), envelope)).rejects.toThrow(RequestCryptoError);
    await expect(encryptAnswer(pair.publicKey.slice(1), 'x')).rejects.toThrow(RequestCryptoError);
    const offCurve = pair.publicKey.slice();
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    await expect(encryptAnswer(offCurve, 'x')).rejects.toThrow(RequestCryptoError);
  });
});
