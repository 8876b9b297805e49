import { open, seal } from '../crypto/aead.js';
import { hkdfSha256 } from '../crypto/share-key.js';
import { parseToken, TOKEN_BYTES, type Token } from '../crypto/tokens.js';

/**
 * The server's own seal on the file bytes it stores, under the share model of share content: the
 * bytes of upload parts are sealed with a key derived from the master key and the upload key,
 * which the server never stores in clear. The upload key reaches the store only wrapped under the
 * share's content key (so only the share link opens it) and, for a view, inside its single-use
 * download key. A copy of the database or the blob directory, or the master key alone, opens no
 * part; once the share has ended, what is left at rest (a dead row, a WAL page) opens with nothing.
 */
export function partKey(masterKey: Buffer, uploadKey: Buffer, uploadId: string): Buffer {
  return hkdfSha256(masterKey, uploadKey, `hush/upload-parts/v1/${uploadId}`);
}

/** Associated data of part `n`: it only opens as that part of that upload. */
export function partAssociatedData(uploadId: string, n: number): Buffer {
  return Buffer.from(`hush/upload-part/v1/${uploadId}/${n}`, 'utf8');
}

const wrapData = (shareId: string) => Buffer.from(`hush/share-upload-key/v1/${shareId}`, 'utf8');

/** The upload key sealed under the share's content key, kept with the attached upload. */
export function wrapUploadKey(shareKey: Buffer, uploadKey: Buffer, shareId: string): Buffer {
  return seal(shareKey, uploadKey, wrapData(shareId));
}

export function unwrapUploadKey(shareKey: Buffer, wrapped: Buffer, shareId: string): Buffer {
  return open(shareKey, wrapped, wrapData(shareId));
}

const DOWNLOAD_KEY = /^[A-Za-z0-9_-]{86}$/;

/** A view's download key: its grant token, then the upload key (base64url, 86 characters). */
export function formatDownloadKey(grant: Token, uploadKey: Buffer): string {
  return Buffer.concat([grant.bytes, uploadKey]).toString('base64url');
}

/** The grant (its hash is what the store knows) and the upload key inside a download key. */
export function parseDownloadKey(text: string): { grant: Token; uploadKey: Buffer } | undefined {
  if (!DOWNLOAD_KEY.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.length !== 2 * TOKEN_BYTES || bytes.toString('base64url') !== text) return undefined;
  const grant = parseToken(bytes.subarray(0, TOKEN_BYTES).toString('base64url'));
  return grant && { grant, uploadKey: bytes.subarray(TOKEN_BYTES) };
}
