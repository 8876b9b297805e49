import { type ByteReader, type ByteSource, byteReader } from './byte-stream.js';
import { ClientCryptoError, KEY_BYTES } from './client-crypto.js';
import {
  CHUNK_TAG_BYTES,
  chunkAssociatedData,
  chunkCount,
  chunkNonce,
  FILE_AD_TAG,
  FILE_CHUNK_BYTES,
  MAX_FILES,
} from './file-format.js';

/**
 * Chunked file encryption (format 1, docs/file-format.md) with WebCrypto, for the page and the CLI.
 * Each file has its own AES-256-GCM key, HKDF-SHA-256 of the share's content key (empty salt, info
 * "hush file v1" ‖ u32 file index); chunk i's nonce is i, and its associated data names the file,
 * the chunk and whether it is the file's last, so a chunk that is dropped, moved, taken from another
 * file, or a file cut short or extended does not open.
 */
export interface FileToSeal {
  /** The plaintext size announced in the manifest: the stream must have exactly this many bytes. */
  readonly bytes: number;
  readonly source: ByteSource;
}

/** A piece of a decrypted file; `end` is true on its last piece (which may be empty). */
export interface FilePiece {
  readonly file: number;
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly end: boolean;
}

/** A file's stream was longer or shorter than its announced size (it changed while being read). */
export class FileChangedError extends ClientCryptoError {
  constructor(readonly fileIndex: number) {
    super(`file ${fileIndex + 1} changed while it was being read`);
  }
}

type FileKey = Awaited<ReturnType<typeof crypto.subtle.deriveKey>>;

const GCM = (chunkIndex: number, ad: Uint8Array<ArrayBuffer>) => ({
  name: 'AES-GCM',
  iv: chunkNonce(chunkIndex),
  additionalData: ad,
  tagLength: CHUNK_TAG_BYTES * 8,
});

/** The AES-256-GCM key of file `fileIndex` of a share. */
export async function deriveFileKey(
  contentKey: Uint8Array,
  fileIndex: number,
  usage: 'encrypt' | 'decrypt',
): Promise<FileKey> {
  if (contentKey.length !== KEY_BYTES) throw new ClientCryptoError('the key must be 32 bytes');
  if (!Number.isInteger(fileIndex) || fileIndex < 0 || fileIndex >= MAX_FILES) {
    throw new ClientCryptoError(`a share holds at most ${MAX_FILES} files`);
  }
  const tag = new TextEncoder().encode(FILE_AD_TAG);
  const info = new Uint8Array(tag.length + 4);
  info.set(tag);
  new DataView(info.buffer).setUint32(tag.length, fileIndex);
  const base = await crypto.subtle.importKey('raw', contentKey as Uint8Array<ArrayBuffer>, 'HKDF', false, [
    'deriveKey',
  ]);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

/** The sealed chunks of one file, in order (two chunks of plaintext in memory at most). */
export async function* encryptFile(
  contentKey: Uint8Array,
  fileIndex: number,
  file: FileToSeal,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const key = await deriveFileKey(contentKey, fileIndex, 'encrypt');
  const reader = byteReader(file.source);
  let current = await reader.read(FILE_CHUNK_BYTES);
  let done = 0;
  for (let chunk = 0; ; chunk++) {
    const next = current.length === FILE_CHUNK_BYTES ? await reader.read(FILE_CHUNK_BYTES) : undefined;
    const last = next === undefined || next.length === 0;
    done += current.length;
    if (done > file.bytes || (last && done !== file.bytes)) throw new FileChangedError(fileIndex);
    const ad = chunkAssociatedData(fileIndex, chunk, last);
    yield new Uint8Array(
      await crypto.subtle.encrypt(GCM(chunk, ad), key, current as Uint8Array<ArrayBuffer>),
    );
    if (last) return;
    current = next;
  }
}

/** Every file's sealed chunks, one file after another: the one stream the server stores. */
export async function* encryptFiles(
  contentKey: Uint8Array,
  files: readonly FileToSeal[],
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  if (files.length > MAX_FILES) throw new ClientCryptoError(`a share holds at most ${MAX_FILES} files`);
  for (const [index, file] of files.entries()) yield* encryptFile(contentKey, index, file);
}

/**
 * Opens the stored stream of files whose plaintext sizes are `sizes` (from the manifest, which the
 * same key authenticates). A piece is authentic when it is yielded, but the files are whole only
 * when the iteration ends without a ClientCryptoError: the last check (nothing after the last
 * file) runs after the last piece, so a caller must read to the end before it trusts the files.
 */
export async function* decryptFiles(
  contentKey: Uint8Array,
  sizes: readonly number[],
  sealed: ByteSource,
): AsyncGenerator<FilePiece> {
  const reader = byteReader(sealed);
  try {
    yield* openEach(contentKey, sizes, reader);
  } finally {
    await reader.close();
  }
}

async function* openEach(
  contentKey: Uint8Array,
  sizes: readonly number[],
  reader: ByteReader,
): AsyncGenerator<FilePiece> {
  for (const [file, size] of sizes.entries()) {
    const key = await deriveFileKey(contentKey, file, 'decrypt');
    const chunks = chunkCount(size);
    for (let chunk = 0; chunk < chunks; chunk++) {
      const end = chunk === chunks - 1;
      const plain = end ? size - chunk * FILE_CHUNK_BYTES : FILE_CHUNK_BYTES;
      const bytes = await reader.read(plain + CHUNK_TAG_BYTES);
      if (bytes.length < plain + CHUNK_TAG_BYTES) {
        throw new ClientCryptoError(`the files are cut short: file ${file + 1} is incomplete`);
      }
      let opened: ArrayBuffer;
      try {
        opened = await crypto.subtle.decrypt(GCM(chunk, chunkAssociatedData(file, chunk, end)), key, bytes);
      } catch {
        throw new ClientCryptoError(
          `file ${file + 1} is damaged or out of order (part ${chunk + 1} does not open with the key in the link)`,
        );
      }
      yield { file, bytes: new Uint8Array(opened), end };
    }
  }
  if (!(await reader.atEnd())) {
    throw new ClientCryptoError('the stored files are longer than their list says: refused as damaged');
  }
}
