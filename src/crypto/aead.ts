import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

/**
 * AES-256-GCM envelope: [version 0x01][nonce 12][ciphertext][tag 16].
 * The associated data binds a ciphertext to its record, so one moved to another record fails.
 */
const VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`decryption failed: ${reason}`);
    this.name = 'DecryptionError';
  }
}

/**
 * Nonces are public (stored beside the ciphertext) and need only be unique, so they are drawn from
 * the CSPRNG 256 at a time rather than with one call into OpenSSL per seal; each is handed out once.
 */
const nonces = Buffer.alloc(NONCE_BYTES * 256);
let nextNonce = nonces.length;

function fillNonce(target: Buffer): void {
  if (nextNonce === nonces.length) {
    randomFillSync(nonces);
    nextNonce = 0;
  }
  nonces.copy(target, 0, nextNonce, nextNonce + NONCE_BYTES);
  nextNonce += NONCE_BYTES;
}

export function seal(key: Buffer, plaintext: Buffer, associatedData: Buffer): Buffer {
  // GCM is a stream mode: the ciphertext is exactly as long as the plaintext, so the envelope is
  // allocated once and filled in place.
  const envelope = Buffer.allocUnsafe(HEADER_BYTES + plaintext.length + TAG_BYTES);
  envelope[0] = VERSION;
  const nonce = envelope.subarray(1, HEADER_BYTES);
  fillNonce(nonce);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData);
  const written = cipher.update(plaintext).copy(envelope, HEADER_BYTES);
  const rest = cipher.final();
  if (written + rest.length !== plaintext.length)
    throw new Error('AES-GCM changed the length of the plaintext');
  rest.copy(envelope, HEADER_BYTES + written);
  cipher.getAuthTag().copy(envelope, HEADER_BYTES + plaintext.length);
  return envelope;
}

export function open(key: Buffer, envelope: Buffer, associatedData: Buffer): Buffer {
  if (envelope.length < HEADER_BYTES + TAG_BYTES) throw new DecryptionError('envelope too short');
  if (envelope[0] !== VERSION) throw new DecryptionError(`unknown envelope version ${envelope[0]}`);
  const nonce = envelope.subarray(1, HEADER_BYTES);
  const tag = envelope.subarray(envelope.length - TAG_BYTES);
  const body = envelope.subarray(HEADER_BYTES, envelope.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData);
  decipher.setAuthTag(tag);
  try {
    const plaintext = decipher.update(body);
    // final() checks the tag; with GCM it returns no further bytes, so no copy is needed.
    const rest = decipher.final();
    return rest.length === 0 ? plaintext : Buffer.concat([plaintext, rest]);
  } catch {
    throw new DecryptionError('authentication failed');
  }
}
