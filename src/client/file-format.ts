/** Chunk size of the client-side file format: each chunk is sealed alone (AES-256-GCM, 16-byte tag). */
export const FILE_CHUNK_BYTES = 65536;
/** The size of every upload part but the last (the server answers it as `part_bytes`). */
export const UPLOAD_PART_BYTES = 1048576;

/** The most stored (encrypted) bytes of a share's files whose plaintext is at most `n` bytes. */
export function storedFileLimit(n: number): number {
  return n + 16 * (Math.ceil(n / 65536) + 100);
}
