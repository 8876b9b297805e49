import { decodeBase64url, encodeBase64url } from './base64url.js';

/**
 * Client-side encryption shared by the web page and the CLI (WebCrypto: the browser's, or Node's
 * globalThis.crypto). The server only ever stores the envelope text; the key travels in the link's
 * fragment, which browsers never send.
 *
 * Envelope v1: "h1." + base64url(nonce[12] || AES-256-GCM ciphertext || tag[16]) of the UTF-8 text.
 */
export const ENVELOPE_PREFIX = 'h1.';
export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class ClientCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientCryptoError';
  }
}

export function newContentKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(KEY_BYTES));
}

const importKey = (key: Uint8Array, usage: 'encrypt' | 'decrypt') => {
  if (key.length !== KEY_BYTES) throw new ClientCryptoError('the key must be 32 bytes');
  return crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [usage]);
};

export async function encryptText(key: Uint8Array, text: string): Promise<string> {
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, tagLength: TAG_BYTES * 8 },
    await importKey(key, 'encrypt'),
    new TextEncoder().encode(text),
  );
  const out = new Uint8Array(NONCE_BYTES + sealed.byteLength);
  out.set(nonce);
  out.set(new Uint8Array(sealed), NONCE_BYTES);
  return ENVELOPE_PREFIX + encodeBase64url(out);
}

/** Whether a revealed secret is one of our envelopes (a share made by the page or the CLI). */
export function isEnvelope(text: string): boolean {
  return text.startsWith(ENVELOPE_PREFIX);
}

export async function decryptText(key: Uint8Array, envelope: string): Promise<string> {
  if (!isEnvelope(envelope)) throw new ClientCryptoError('this secret was not encrypted by a hush client');
  const bytes = decodeBase64url(envelope.slice(ENVELOPE_PREFIX.length));
  if (!bytes || bytes.length < NONCE_BYTES + TAG_BYTES) throw new ClientCryptoError('the secret is damaged');
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.subarray(0, NONCE_BYTES), tagLength: TAG_BYTES * 8 },
      await importKey(key, 'decrypt'),
      bytes.subarray(NONCE_BYTES),
    );
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(plain);
  } catch {
    throw new ClientCryptoError('the key in the link does not open this secret (a damaged or wrong link)');
  }
}
