import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../client/api-call.js';
import type { ByteSource } from '../client/byte-stream.js';
import type { UploadRef } from '../client/file-api.js';
import { encryptFiles, FileChangedError } from '../client/file-crypto.js';
import { MAX_FILES, storedBytesOf } from '../client/file-format.js';
import { type FileEntry, MAX_NAME_CHARS } from '../client/file-manifest.js';
import { CliError, EXIT } from './cli-errors.js';
import { mediaTypeOf } from './media-type.js';
import { formatBytes, type Progress } from './progress.js';
import { openFileApi } from './share-client.js';

/** A file named on the command line, as `hush share` will send it. */
export interface LocalFile {
  readonly path: string;
  readonly entry: FileEntry;
}

const cannotRead = (at: string, error: unknown) =>
  new CliError(EXIT.local, `cannot read ${at} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);

/** Checks each path names a regular file (before anything is sent) and takes its name and size. */
export async function localFiles(paths: readonly string[]): Promise<LocalFile[]> {
  if (paths.length > MAX_FILES) throw new CliError(EXIT.usage, `a share holds at most ${MAX_FILES} files`);
  return Promise.all(
    paths.map(async (at) => {
      const info = await stat(at).catch((error: unknown) => {
        throw cannotRead(at, error);
      });
      if (info.isDirectory()) {
        throw new CliError(EXIT.usage, `${at} is a directory: name its files (or share an archive of it)`);
      }
      if (!info.isFile()) throw new CliError(EXIT.usage, `${at} is not a regular file`);
      const name = [...path.basename(at)].slice(0, MAX_NAME_CHARS).join('');
      return { path: at, entry: { name, type: mediaTypeOf(name), size: info.size } };
    }),
  );
}

/** Encrypts the files with the share's key as they are read, and uploads them in parts. */
export async function uploadFiles(
  server: string,
  key: Uint8Array,
  files: readonly LocalFile[],
  progress: Progress,
  bearer?: string,
): Promise<UploadRef> {
  const stored = storedBytesOf(files.map((file) => file.entry.size));
  const plain = files.reduce((total, file) => total + file.entry.size, 0);
  const sealed = encryptFiles(
    key,
    files.map((file) => ({ bytes: file.entry.size, source: readFile(file.path) })),
  );
  try {
    return await openFileApi(server, bearer).upload(sealed, stored, (done, total) => {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      progress.update(
        `encrypting and uploading ${formatBytes(Math.min(plain, done))} of ${formatBytes(plain)} (${percent}%)`,
      );
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'file_too_large') {
      throw new CliError(EXIT.refused, `the files are too large for this server: ${error.message}`);
    }
    if (error instanceof FileChangedError) {
      const named = files[error.fileIndex]?.path ?? 'a file';
      throw new CliError(EXIT.local, `${named} changed while it was being read: nothing was shared`);
    }
    throw error;
  }
}

async function* readFile(at: string): ByteSource {
  try {
    yield* createReadStream(at, { highWaterMark: 65536 }) as AsyncIterable<Buffer>;
  } catch (error) {
    throw cannotRead(at, error);
  }
}
