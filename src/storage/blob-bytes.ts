/** Where a part's bytes are, as its row records them: in the row itself, or in a file it names. */
export interface PartBytes {
  readonly data: Buffer | null;
  readonly blob: string | null;
}

/**
 * Where the bytes of upload parts live: rows of the SQL database (the default) or files in
 * HUSH_BLOB_DIR whose names the rows keep. The rows are the truth either way: a file no row names
 * is an orphan, and erasing bytes is the SQL step that deletes the rows, then `remove`.
 */
export interface BlobBytes {
  /** Makes `data` durable as part `n` of `uploadId` and says what its row should hold. */
  store(uploadId: string, n: number, data: Buffer): Promise<PartBytes>;
  /** The bytes a row points at. */
  load(part: PartBytes): Promise<Buffer>;
  /** Removes the files named (after the SQL step that dropped their rows); missing ones are fine. */
  remove(blobs: readonly string[]): Promise<void>;
  /** Every file there, with its age, for the orphan sweep; none for rows. */
  list(): Promise<readonly { readonly blob: string; readonly mtimeMs: number }[]>;
}

/** Bytes in the part rows themselves: nothing outside SQL to write, read or remove. */
export const SQL_BLOB_BYTES: BlobBytes = {
  store: async (_uploadId, _n, data) => ({ data, blob: null }),
  async load(part) {
    if (!part.data) throw new Error('a part row without its bytes');
    return part.data;
  },
  remove: async () => undefined,
  list: async () => [],
};

/** The blob names a list of parts holds. */
export const blobsOf = (parts: readonly { readonly blob: string | null }[]): string[] =>
  parts.flatMap((part) => (part.blob ? [part.blob] : []));

/**
 * Removes the files no part row names, of those older than `olderThanMs` (younger ones may be a
 * part write between its file and its row). `named(uploadId)` lists what the rows name.
 */
export async function removeOrphanBlobs(
  blobs: BlobBytes,
  named: (uploadId: string) => Promise<readonly string[]>,
  olderThanMs: number,
): Promise<number> {
  const orphans: string[] = [];
  const known = new Map<string, Set<string>>();
  for (const { blob, mtimeMs } of await blobs.list()) {
    if (Date.now() - mtimeMs < olderThanMs) continue;
    const uploadId = blob.slice(0, blob.indexOf('/'));
    let names = known.get(uploadId);
    if (!names) {
      names = new Set(await named(uploadId));
      known.set(uploadId, names);
    }
    if (!names.has(blob)) orphans.push(blob);
  }
  await blobs.remove(orphans);
  return orphans.length;
}
