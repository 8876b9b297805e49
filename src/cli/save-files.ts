import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, type FileHandle, link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { decryptFiles } from '../client/file-crypto.js';
import { storedBytesOf } from '../client/file-format.js';
import type { FileEntry } from '../client/file-manifest.js';
import type { ShareFiles } from '../client/share-api.js';
import { CliError, EXIT } from './cli-errors.js';
import { distinctNames, numberedName } from './file-names.js';
import { formatBytes, type Progress } from './progress.js';
import { openFileApi } from './share-client.js';

export interface SavedFile {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly type: string;
}

const failed = (what: string, error: unknown) =>
  new CliError(EXIT.local, `${what} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);

/** Makes sure `dir` is a directory the files can be written to, creating it when missing (0700). */
export async function prepareDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw failed(`cannot write files into ${dir}`, error);
  }
}

/**
 * Downloads the share's files once and writes each into `dir`, streaming (one chunk in memory).
 * Each file is written to a temporary name (0600) and takes its own name only once every file
 * has been read to the end and verified. An existing file is never overwritten unless `force`:
 * the new one takes a numbered name (report (2).pdf) instead, so no view is lost to a name clash.
 */
export async function saveFiles(
  server: string,
  key: Uint8Array,
  entries: readonly FileEntry[],
  grant: ShareFiles,
  dir: string,
  options: { readonly force: boolean; readonly progress: Progress },
): Promise<SavedFile[]> {
  const sizes = entries.map((entry) => entry.size);
  if (storedBytesOf(sizes) !== grant.bytes) {
    throw new CliError(EXIT.local, 'the stored files do not match their list: refused as damaged');
  }
  const plain = sizes.reduce((a, b) => a + b, 0);
  const stream = await openFileApi(server).download(grant.downloadKey, grant.bytes, (done, total) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    options.progress.update(
      `downloading and decrypting ${formatBytes(Math.min(done, plain))} of ${formatBytes(plain)} (${percent}%)`,
    );
  });
  const temps = entries.map(() => path.join(dir, `.hush-${randomBytes(9).toString('base64url')}.part`));
  const handles: (FileHandle | undefined)[] = [];
  try {
    for await (const piece of decryptFiles(key, sizes, stream)) {
      let handle = handles[piece.file];
      if (!handle) {
        handle = await open(temps[piece.file] as string, 'wx', 0o600).catch((error: unknown) => {
          throw failed(`cannot write into ${dir}`, error);
        });
        handles[piece.file] = handle;
      }
      await handle.write(piece.bytes);
      if (piece.end) {
        await handle.sync();
        await handle.close();
        handles[piece.file] = undefined;
      }
    }
    const names = distinctNames(entries.map((entry) => entry.name));
    const saved: SavedFile[] = [];
    for (const [index, entry] of entries.entries()) {
      const name = await place(temps[index] as string, dir, names[index] as string, options.force);
      saved.push({ name, path: path.join(dir, name), size: entry.size, type: entry.type });
    }
    return saved;
  } finally {
    await Promise.all(handles.map((handle) => handle?.close().catch(() => undefined)));
    await Promise.all(temps.map((temp) => unlink(temp).catch(() => undefined)));
  }
}

/** Gives the verified temporary file its name; returns the name it got. */
async function place(temp: string, dir: string, name: string, force: boolean): Promise<string> {
  if (force) {
    await rename(temp, path.join(dir, name)).catch((error: unknown) => {
      throw failed(`cannot write ${path.join(dir, name)}`, error);
    });
    return name;
  }
  for (let n = 1; ; n++) {
    const pick = n === 1 ? name : numberedName(name, n);
    const target = path.join(dir, pick);
    try {
      // A hard link never replaces an existing entry; where links are not supported, the name is
      // reserved by creating it exclusively first.
      await link(temp, target).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') throw error;
        await (await open(target, 'wx', 0o600)).close();
        await rename(temp, target);
      });
      return pick;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) {
        throw failed(`cannot write ${target}`, error);
      }
    }
  }
}
