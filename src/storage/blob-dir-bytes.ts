import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { type BlobBytes, SQL_BLOB_BYTES } from './blob-bytes.js';

/** An upload's directory and a part's file name: both our own (`<upload id>/<n>.<random>`). */
const BLOB_NAME = /^[A-Za-z0-9_-]{1,64}\/\d{1,9}\.[0-9a-f]{16}$/;

/** fsync of a directory, so that a rename or a new entry in it survives a crash. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Part bytes as files under `root` (HUSH_BLOB_DIR): `<root>/<upload id>/<n>.<random>`, 0600 files
 * in 0700 directories. A part is written to a temporary name, fsynced, renamed into place and its
 * directory fsynced, so a file that exists is whole. Each copy of a part gets a name of its own, so
 * a retried part never overwrites the bytes a committed row names.
 */
export function dirBlobBytes(root: string): BlobBytes {
  const full = (blob: string) => {
    if (!BLOB_NAME.test(blob)) throw new Error('not a blob name of this store');
    return path.join(root, blob);
  };
  return {
    async store(uploadId, n, data) {
      const blob = `${uploadId}/${n}.${randomBytes(8).toString('hex')}`;
      const file = full(blob);
      const dir = path.dirname(file);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const temp = `${file}.tmp`;
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
      await syncDir(dir);
      return { data: null, blob };
    },
    async load(part) {
      if (!part.blob) throw new Error('a part row without its file');
      return readFile(full(part.blob));
    },
    async remove(blobs) {
      const dirs = new Set<string>();
      for (const blob of blobs) {
        const file = full(blob);
        await unlink(file).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
        dirs.add(path.dirname(file));
      }
      // An upload's directory goes with its last file; one still in use is not empty and stays.
      for (const dir of dirs) await rmdir(dir).catch(() => undefined);
    },
    async list() {
      const found: { blob: string; mtimeMs: number }[] = [];
      const uploads = await readdir(root, { withFileTypes: true }).catch(() => []);
      for (const upload of uploads) {
        if (!upload.isDirectory()) continue;
        const dir = path.join(root, upload.name);
        const names = await readdir(dir).catch(() => [] as string[]);
        if (names.length === 0) await rmdir(dir).catch(() => undefined);
        for (const name of names) {
          const info = await stat(path.join(dir, name)).catch(() => undefined);
          if (!info) continue;
          const blob = `${upload.name}/${name}`;
          // A temporary file a crash left mid-write: no row can name it; remove it once it is old.
          if (name.endsWith('.tmp')) {
            if (Date.now() - info.mtimeMs > 60_000) await rm(path.join(dir, name), { force: true });
            continue;
          }
          if (BLOB_NAME.test(blob)) found.push({ blob, mtimeMs: info.mtimeMs });
        }
      }
      return found;
    },
  };
}

/** The bytes' home for HUSH_BLOB_DIR: files under it (made 0700 now) when set, else rows. */
export function blobBytesFor(blobDir: string | undefined): BlobBytes {
  if (blobDir === undefined) return SQL_BLOB_BYTES;
  mkdirSync(blobDir, { recursive: true, mode: 0o700 });
  chmodSync(blobDir, 0o700);
  return dirBlobBytes(blobDir);
}
