import { decodeBase64url, encodeBase64url } from './base64url.js';
import { ClientCryptoError, decryptText, encryptText, isEnvelope, KEY_BYTES } from './client-crypto.js';
import { MAX_FILES } from './file-format.js';

/**
 * What a share made by the page or the CLI holds: a text, files, or both. A text alone is the
 * envelope v1 (`h1.`, client-crypto.ts), which every client opens. A share with files is the
 * envelope v2: "h2." + base64url(nonce[12] ‖ AES-256-GCM(content key, JSON manifest) ‖ tag[16])
 * with the associated data "hush manifest v1"; the manifest is
 * `{"v":1,"text"?:string,"files":[{"name","type","size"}]}` (sizes are plaintext bytes, in the
 * order the files are stored). Names, types and sizes travel only in here, never in clear.
 */
export const MANIFEST_PREFIX = 'h2.';
const MANIFEST_AD = new TextEncoder().encode('hush manifest v1');
const NONCE_BYTES = 12;
export const MAX_NAME_CHARS = 255;
const MAX_TYPE_CHARS = 255;

export interface FileEntry {
  readonly name: string;
  /** A media type as the sender's system named it (may be empty). */
  readonly type: string;
  /** Plaintext bytes. */
  readonly size: number;
}

export interface ShareContent {
  readonly text?: string;
  readonly files: readonly FileEntry[];
}

const gcm = (iv: Uint8Array<ArrayBuffer>) => ({
  name: 'AES-GCM',
  iv,
  additionalData: MANIFEST_AD,
  tagLength: 128,
});

const importKey = (key: Uint8Array, usage: 'encrypt' | 'decrypt') => {
  if (key.length !== KEY_BYTES) throw new ClientCryptoError('the key must be 32 bytes');
  return crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [usage]);
};

/** Whether a revealed secret is one of the hush clients' envelopes (text, or text and files). */
export function isContentEnvelope(secret: string): boolean {
  return isEnvelope(secret) || secret.startsWith(MANIFEST_PREFIX);
}

/** The share's `secret`: `h1.` for a text alone (as before files existed), `h2.` with files. */
export async function sealContent(key: Uint8Array, content: ShareContent): Promise<string> {
  if (content.files.length === 0) return encryptText(key, content.text ?? '');
  checkFiles(content.files);
  const manifest = { v: 1, ...(content.text !== undefined && { text: content.text }), files: content.files };
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const plain = new TextEncoder().encode(JSON.stringify(manifest));
  const sealed = await crypto.subtle.encrypt(gcm(nonce), await importKey(key, 'encrypt'), plain);
  const out = new Uint8Array(NONCE_BYTES + sealed.byteLength);
  out.set(nonce);
  out.set(new Uint8Array(sealed), NONCE_BYTES);
  return MANIFEST_PREFIX + encodeBase64url(out);
}

/** Opens either envelope; a text-only share has no files. */
export async function openContent(key: Uint8Array, secret: string): Promise<ShareContent> {
  if (isEnvelope(secret)) return { text: await decryptText(key, secret), files: [] };
  if (!secret.startsWith(MANIFEST_PREFIX)) {
    throw new ClientCryptoError('this secret was not encrypted by a hush client');
  }
  const bytes = decodeBase64url(secret.slice(MANIFEST_PREFIX.length));
  if (!bytes || bytes.length < NONCE_BYTES + 16) throw new ClientCryptoError('the secret is damaged');
  let plain: ArrayBuffer;
  try {
    const iv = bytes.slice(0, NONCE_BYTES);
    plain = await crypto.subtle.decrypt(
      gcm(iv),
      await importKey(key, 'decrypt'),
      bytes.subarray(NONCE_BYTES),
    );
  } catch {
    throw new ClientCryptoError('the key in the link does not open this secret (a damaged or wrong link)');
  }
  return parseManifest(new TextDecoder('utf-8', { fatal: true }).decode(plain));
}

function parseManifest(json: string): ShareContent {
  const bad = () => new ClientCryptoError('the list of files in this secret is not one this client reads');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw bad();
  }
  const { v, text, files } = (value ?? {}) as { v?: unknown; text?: unknown; files?: unknown };
  if (typeof v === 'number' && v > 1) {
    throw new ClientCryptoError('this secret was made by a newer hush client: update this one');
  }
  if (v !== 1) throw bad();
  if ((text !== undefined && typeof text !== 'string') || !Array.isArray(files)) throw bad();
  const entries = files.map((file: unknown) => {
    const { name, type, size } = (file ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof type !== 'string' || typeof size !== 'number') throw bad();
    return { name, type, size };
  });
  try {
    checkFiles(entries);
  } catch {
    throw bad();
  }
  return { ...(text !== undefined && { text }), files: entries };
}

function checkFiles(files: readonly FileEntry[]): void {
  if (files.length > MAX_FILES) throw new ClientCryptoError(`a share holds at most ${MAX_FILES} files`);
  for (const { name, type, size } of files) {
    // Characters as the page and the CLI cut names: code points (an emoji is one, not two).
    const chars = [...name].length;
    if (chars === 0 || chars > MAX_NAME_CHARS) {
      throw new ClientCryptoError(`a file name must have 1 to ${MAX_NAME_CHARS} characters`);
    }
    if (type.length > MAX_TYPE_CHARS) throw new ClientCryptoError('a file type is too long');
    if (!Number.isSafeInteger(size) || size < 0)
      throw new ClientCryptoError('a file size must be a whole number');
  }
}
