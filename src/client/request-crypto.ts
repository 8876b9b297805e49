import { decodeBase64url, encodeBase64url } from './base64url.js';
import { NONCE_BYTES, PUBLIC_KEY_BYTES, REQUEST_ENVELOPE_PREFIX, TAG_BYTES } from './request-envelope.js';

/**
 * Answers to secret requests, encrypted to the requester (WebCrypto only, so the page and the CLI
 * run the same code): the requester's P-256 key pair is made on their side, the public key goes in
 * the link to send, the private key (PKCS #8) stays in the link to keep. The responder makes an
 * ephemeral P-256 key pair, ECDH with the requester's public key gives the shared secret, HKDF-SHA-256
 * (salt = ephemeral ‖ requester public keys, info "hush/request-answer/v1") an AES-256-GCM key that
 * seals the UTF-8 answer (associated data: the envelope prefix). Envelope: request-envelope.ts.
 */
/** The key type of WebCrypto, named without the DOM library (Node's typings have it under webcrypto). */
type Key = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const CURVE = { name: 'ECDH', namedCurve: 'P-256' } as const;
const INFO = new TextEncoder().encode('hush/request-answer/v1');
const AAD = new TextEncoder().encode(REQUEST_ENVELOPE_PREFIX);

export class RequestCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestCryptoError';
  }
}

export interface RequestKeyPair {
  /** Uncompressed point (65 bytes): goes in the link to send. */
  readonly publicKey: Uint8Array;
  /** PKCS #8: goes in the link to keep; never leaves the requester's side. */
  readonly privateKey: Uint8Array;
}

const bytes = (buffer: ArrayBuffer) => new Uint8Array(buffer);
const joined = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

export async function newRequestKeyPair(): Promise<RequestKeyPair> {
  const pair = await crypto.subtle.generateKey(CURVE, true, ['deriveBits']);
  return {
    publicKey: bytes(await crypto.subtle.exportKey('raw', pair.publicKey)),
    privateKey: bytes(await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
  };
}

const importPublic = async (raw: Uint8Array) => {
  if (raw.length !== PUBLIC_KEY_BYTES || raw[0] !== 4)
    throw new RequestCryptoError('the public key is not valid');
  try {
    return await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, CURVE, true, []);
  } catch {
    throw new RequestCryptoError('the public key is not valid');
  }
};

/** The AES-256-GCM key of one answer, from ECDH and HKDF-SHA-256. */
async function answerKey(
  privateKey: Key,
  peer: Key,
  salt: Uint8Array,
  usage: 'encrypt' | 'decrypt',
): Promise<Key> {
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: peer }, privateKey, 256);
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, info: INFO },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

/** Encrypts `text` to the requester's public key: the envelope the responder sends. */
export async function encryptAnswer(requesterPublicKey: Uint8Array, text: string): Promise<string> {
  const requester = await importPublic(requesterPublicKey);
  const ephemeral = await crypto.subtle.generateKey(CURVE, true, ['deriveBits']);
  const ephemeralRaw = bytes(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  const key = await answerKey(
    ephemeral.privateKey,
    requester,
    joined(ephemeralRaw, requesterPublicKey),
    'encrypt',
  );
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: AAD, tagLength: TAG_BYTES * 8 },
    key,
    new TextEncoder().encode(text),
  );
  return REQUEST_ENVELOPE_PREFIX + encodeBase64url(joined(ephemeralRaw, nonce, bytes(sealed)));
}

/** The public key (uncompressed point) of a PKCS #8 private key. */
async function importPrivate(pkcs8: Uint8Array): Promise<{ key: Key; publicKey: Uint8Array }> {
  try {
    const key = await crypto.subtle.importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, CURVE, true, [
      'deriveBits',
    ]);
    const jwk = await crypto.subtle.exportKey('jwk', key);
    const x = decodeBase64url(jwk.x ?? '');
    const y = decodeBase64url(jwk.y ?? '');
    if (x?.length !== 32 || y?.length !== 32) throw new Error('no public point');
    return { key, publicKey: joined(Uint8Array.of(4), x, y) };
  } catch {
    throw new RequestCryptoError('the key in the link is damaged');
  }
}

/**
 * Refuses a private key from a link to keep that cannot be read (cut short or changed), before
 * anything is asked of the server: revealing spends the one answer.
 */
export async function checkRequestKey(requesterPrivateKey: Uint8Array): Promise<void> {
  await importPrivate(requesterPrivateKey);
}

/** Opens an answer with the requester's private key; refuses a wrong key or a changed envelope. */
export async function decryptAnswer(requesterPrivateKey: Uint8Array, envelope: string): Promise<string> {
  if (!envelope.startsWith(REQUEST_ENVELOPE_PREFIX))
    throw new RequestCryptoError('this is not a request answer');
  const body = decodeBase64url(envelope.slice(REQUEST_ENVELOPE_PREFIX.length));
  if (!body || body.length < PUBLIC_KEY_BYTES + NONCE_BYTES + TAG_BYTES) {
    throw new RequestCryptoError('the answer is damaged');
  }
  const ephemeralRaw = body.subarray(0, PUBLIC_KEY_BYTES);
  const nonce = body.subarray(PUBLIC_KEY_BYTES, PUBLIC_KEY_BYTES + NONCE_BYTES);
  const { key: privateKey, publicKey } = await importPrivate(requesterPrivateKey);
  const ephemeral = await importPublic(ephemeralRaw).catch(() => {
    throw new RequestCryptoError('the answer is damaged');
  });
  try {
    const key = await answerKey(privateKey, ephemeral, joined(ephemeralRaw, publicKey), 'decrypt');
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: nonce, additionalData: AAD, tagLength: TAG_BYTES * 8 },
      key,
      body.subarray(PUBLIC_KEY_BYTES + NONCE_BYTES),
    );
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(plain);
  } catch {
    throw new RequestCryptoError(
      'the key in the link does not open this answer (a wrong link, or the answer was changed)',
    );
  }
}
