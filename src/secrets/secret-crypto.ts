import { randomBytes } from 'node:crypto';
import { DecryptionError, open, seal } from '../crypto/aead.js';
import type { KeyEncryptionKey } from '../crypto/keyring.js';
import type { SealedVersion } from '../storage/secret-store.js';
import type { SecretContent } from './secret-types.js';

const DATA_KEY_BYTES = 32;

/** Binds content to its record: a ciphertext moved to another secret or version fails to open. */
const contentAad = (secretId: string, version: number) =>
  Buffer.from(`hush/secret/v1/${secretId}/${version}`, 'utf8');

/** Binds a wrapped data key to its record and to the keyring key that wraps it. */
const dataKeyAad = (secretId: string, version: number, keyVersion: number) =>
  Buffer.from(`hush/secret-key/v1/${secretId}/${version}/${keyVersion}`, 'utf8');

/** Which stored version a data key belongs to. */
export interface VersionRef {
  readonly secretId: string;
  readonly version: number;
}

/**
 * Seals `content` under a fresh data key, and that key under the keyring key `kek`. The plaintext
 * is the JSON `{data, metadata}`; versions sealed before KV data were `{value, metadata}`, which
 * openContent still reads. The format needs no new AAD or version byte: the JSON tells them apart.
 */
export function sealContent(kek: KeyEncryptionKey, ref: VersionRef, content: SecretContent): SealedVersion {
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    const plaintext = Buffer.from(JSON.stringify({ data: content.data, metadata: content.metadata }), 'utf8');
    return {
      ciphertext: seal(dataKey, plaintext, contentAad(ref.secretId, ref.version)),
      wrappedKey: wrapDataKey(kek, ref, dataKey),
      keyVersion: kek.version,
    };
  } finally {
    dataKey.fill(0);
  }
}

export function wrapDataKey(kek: KeyEncryptionKey, ref: VersionRef, dataKey: Buffer): Buffer {
  return seal(kek.key, dataKey, dataKeyAad(ref.secretId, ref.version, kek.version));
}

/** The data key of a version; DecryptionError when it was altered or belongs to another record. */
export function unwrapDataKey(kek: KeyEncryptionKey, ref: VersionRef, wrappedKey: Buffer): Buffer {
  return open(kek.key, wrappedKey, dataKeyAad(ref.secretId, ref.version, kek.version));
}

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string');

/** The content of a plaintext in either format: `{data, metadata}`, or the older `{value, metadata}`. */
function contentOf(parsed: unknown): SecretContent | undefined {
  const { data, value, metadata } = (parsed ?? {}) as { data?: unknown; value?: unknown; metadata?: unknown };
  if (!isStringRecord(metadata)) return undefined;
  if (isStringRecord(data)) return { data, metadata };
  return typeof value === 'string' && data === undefined ? { data: { value }, metadata } : undefined;
}

/** Opens a version's content; DecryptionError for anything but content sealed for this record. */
export function openContent(
  kek: KeyEncryptionKey,
  ref: VersionRef,
  sealed: Pick<SealedVersion, 'ciphertext' | 'wrappedKey'>,
): SecretContent {
  const dataKey = unwrapDataKey(kek, ref, sealed.wrappedKey);
  let plaintext: Buffer;
  try {
    plaintext = open(dataKey, sealed.ciphertext, contentAad(ref.secretId, ref.version));
  } finally {
    dataKey.fill(0);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new DecryptionError('content is not a secret');
  }
  const content = contentOf(parsed);
  if (!content) throw new DecryptionError('content is not a secret');
  return content;
}
