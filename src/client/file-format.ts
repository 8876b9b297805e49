/**
 * The stored format of a share's files (format 1), shared by the page, the CLI and the server's
 * limits. Each file's plaintext is cut into chunks of FILE_CHUNK_BYTES (the last one shorter; an
 * empty file is one empty last chunk). Each chunk is sealed alone with AES-256-GCM, so it grows by
 * the 16-byte tag. The server stores one opaque byte stream per share: every file's sealed chunks,
 * one file after another, in the order of the manifest. See docs/file-format.md.
 */
export const FILE_CHUNK_BYTES = 65536;
/** The size of every upload part but the last (the server answers it as `part_bytes`). */
export const UPLOAD_PART_BYTES = 1048576;
/** The most files one share holds. */
export const MAX_FILES = 100;
/** AES-GCM tag bytes added to each chunk. */
export const CHUNK_TAG_BYTES = 16;
export const FILE_FORMAT_VERSION = 1;
/** The first bytes of every chunk's associated data (ASCII). */
export const FILE_AD_TAG = 'hush file v1';
/** Associated data: tag ‖ u32 file index ‖ u64 chunk index ‖ u8 last flag (big-endian). */
export const FILE_AD_BYTES = FILE_AD_TAG.length + 4 + 8 + 1;

/**
 * The most stored (encrypted) bytes the files of one share may take when their plaintext is at
 * most `maxPlainBytes` in total: the plaintext, a tag per chunk, and an allowance of one chunk per
 * file for up to MAX_FILES files (each file's last chunk may be partial, and an empty file is one
 * empty chunk). Any set of at most MAX_FILES files within `maxPlainBytes` fits.
 */
export function storedFileLimit(maxPlainBytes: number): number {
  return maxPlainBytes + CHUNK_TAG_BYTES * (Math.ceil(maxPlainBytes / FILE_CHUNK_BYTES) + MAX_FILES);
}

/** How many chunks a file of `plainBytes` is cut into (at least one). */
export function chunkCount(plainBytes: number): number {
  return Math.max(1, Math.ceil(plainBytes / FILE_CHUNK_BYTES));
}

/** The stored bytes of one file of `plainBytes`. */
export function storedFileBytes(plainBytes: number): number {
  return plainBytes + CHUNK_TAG_BYTES * chunkCount(plainBytes);
}

/** The stored bytes of all files of a share, in the order they are stored. */
export function storedBytesOf(plainSizes: readonly number[]): number {
  return plainSizes.reduce((total, size) => total + storedFileBytes(size), 0);
}

/** How many upload parts `storedBytes` take (an empty stream is still one empty part). */
export function partCount(storedBytes: number, partBytes = UPLOAD_PART_BYTES): number {
  return Math.max(1, Math.ceil(storedBytes / partBytes));
}

const AD_TAG_BYTES = new TextEncoder().encode(FILE_AD_TAG);

/** The associated data of one chunk: binds it to its file, its place, and whether it ends the file. */
export function chunkAssociatedData(
  fileIndex: number,
  chunkIndex: number,
  last: boolean,
): Uint8Array<ArrayBuffer> {
  const ad = new Uint8Array(FILE_AD_BYTES);
  ad.set(AD_TAG_BYTES);
  const view = new DataView(ad.buffer);
  let at = AD_TAG_BYTES.length;
  view.setUint32(at, fileIndex);
  at += 4;
  view.setBigUint64(at, BigInt(chunkIndex));
  at += 8;
  view.setUint8(at, last ? 1 : 0);
  return ad;
}

/** The 96-bit GCM nonce of a chunk: 4 zero bytes ‖ u64 chunk index (the key is unique per file). */
export function chunkNonce(chunkIndex: number): Uint8Array<ArrayBuffer> {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, BigInt(chunkIndex));
  return nonce;
}
