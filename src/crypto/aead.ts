import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

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

export function seal(key: Buffer, plaintext: Buffer, associatedData: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), nonce, body, cipher.getAuthTag()]);
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
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionError('authentication failed');
  }
}
