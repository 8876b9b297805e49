import { Readable } from 'node:stream';
import { storedFileLimit, UPLOAD_PART_BYTES } from '../client/file-format.js';
import { open, seal } from '../crypto/aead.js';
import { newPublicId, newToken, parseToken } from '../crypto/tokens.js';
import { HushError } from '../errors/hush-error.js';
import type { FileStore } from '../storage/file-store.js';
import { parseDownloadKey, partAssociatedData, partKey } from './file-keys.js';

/** How long an upload may take its parts and wait to be attached before the sweeper erases it. */
export const UPLOAD_TTL_MS = 3_600_000;
/** How long a view's download grant may wait to be started. */
export const DOWNLOAD_GRANT_TTL_MS = 600_000;

export interface ShareFilesDeps {
  readonly store: FileStore;
  /** Seals the parts at rest, with the upload key (file-keys.ts). */
  readonly masterKey: Buffer;
  /** The `shares.max_file_bytes` setting now: plaintext bytes of all files of one share. */
  readonly maxFileBytes: () => number;
  /** The `shares.require_sign_in` setting now: an upload is the start of a share, under its rule. */
  readonly requireSignIn?: () => boolean;
  readonly now?: () => number;
}

export interface CreatedUpload {
  readonly uploadId: string;
  readonly uploadKey: string;
  readonly partBytes: number;
  readonly expiresAt: Date;
}

/** A download under way: its length, and the stream of its parts (one in memory at a time). */
export interface Download {
  readonly bytes: number;
  readonly stream: Readable;
}

export interface ShareFiles {
  /** `signedIn`: whether a signed-in creator opens it (refused otherwise under `shares.require_sign_in`). */
  createUpload(bytes: number, signedIn?: boolean): Promise<CreatedUpload>;
  putPart(uploadId: string, uploadKey: string, n: number, data: Buffer): Promise<void>;
  /** Starts a download: once per grant; unknown, used, lapsed or erased → not_found. */
  download(downloadKey: string): Promise<Download>;
}

/** How many bytes part `n` of an upload of `bytes` must have (every part but the last is full). */
export function partSize(bytes: number, partCount: number, n: number): number {
  return n < partCount - 1 ? UPLOAD_PART_BYTES : bytes - (partCount - 1) * UPLOAD_PART_BYTES;
}

/**
 * Uploads of files' stored (client-encrypted) bytes, and their downloads. The share service
 * attaches an upload when it creates a share and gets a grant when it claims a view (both in the
 * share store's steps); this service takes the parts in and streams them out.
 */
export function createShareFiles(deps: ShareFilesDeps): ShareFiles {
  const now = deps.now ?? Date.now;
  const { store } = deps;

  /** Streams the parts in order, reading part n + 1 only once part n has been taken. */
  const partStream = (uploadId: string, partCount: number, key: Buffer, onEnd: () => void): Readable => {
    let next = 0;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      onEnd();
    };
    const stream = new Readable({
      highWaterMark: 1,
      objectMode: false,
      read() {
        if (next >= partCount) {
          this.push(null);
          return;
        }
        const n = next++;
        // A part that fails to open (erased, damaged) breaks the stream: the client sees it cut off.
        store
          .readPart(uploadId, n)
          .then((part) => {
            if (part === undefined) throw new Error('the file was erased during its download');
            const plain = open(key, part, partAssociatedData(uploadId, n));
            // Only the last part may be empty (an upload of 0 bytes): an empty push would stall.
            this.push(plain.length === 0 ? null : plain);
          })
          .catch((error: unknown) => this.destroy(error as Error));
      },
    });
    stream.once('end', end);
    stream.once('close', end);
    return stream;
  };

  return {
    async createUpload(bytes, signedIn = false) {
      if (deps.requireSignIn?.() && !signedIn) throw new HushError('sign_in_required');
      const limit = storedFileLimit(deps.maxFileBytes());
      if (!Number.isSafeInteger(bytes) || bytes < 0)
        throw new HushError('bad_request', 'bytes must be a whole number.');
      if (bytes > limit) {
        throw new HushError(
          'file_too_large',
          `The files of one share may take at most ${limit} stored bytes.`,
        );
      }
      const key = newToken();
      const createdAt = now();
      const upload = {
        id: newPublicId(),
        keyHash: key.hash,
        bytes,
        partCount: Math.max(1, Math.ceil(bytes / UPLOAD_PART_BYTES)),
        createdAt,
        expiresAt: createdAt + UPLOAD_TTL_MS,
      };
      await store.createUpload(upload);
      return {
        uploadId: upload.id,
        uploadKey: key.text,
        partBytes: UPLOAD_PART_BYTES,
        expiresAt: new Date(upload.expiresAt),
      };
    },

    async putPart(uploadId, uploadKey, n, data) {
      const key = parseToken(uploadKey);
      const upload = key && (await store.findUpload(uploadId, key.hash));
      if (!key || !upload || upload.state !== 'open' || upload.expiresAt <= now())
        throw new HushError('not_found');
      if (!Number.isSafeInteger(n) || n < 0 || n >= upload.partCount) {
        throw new HushError('part_out_of_range', `This upload has parts 0 to ${upload.partCount - 1}.`);
      }
      const size = partSize(upload.bytes, upload.partCount, n);
      if (data.length !== size) {
        throw new HushError(
          'part_out_of_range',
          `Part ${n} of this upload is ${size} bytes, not ${data.length}.`,
        );
      }
      // Written only while the upload is still open (the store's guarantee): a create that
      // attached it in between leaves this part refused.
      const sealed = seal(
        partKey(deps.masterKey, key.bytes, uploadId),
        data,
        partAssociatedData(uploadId, n),
      );
      if (!(await store.putPart(uploadId, key.hash, n, sealed, now()))) throw new HushError('not_found');
    },

    async download(downloadKey) {
      const key = parseDownloadKey(downloadKey);
      const started = key && (await store.startDownload(key.grant.hash, now()));
      if (!key || !started) throw new HushError('not_found');
      // The end (complete or broken) may erase the bytes; a failure there leaves them to the sweeper.
      const finish = () => void store.finishDownload(key.grant.hash, now()).catch(() => undefined);
      const sealKey = partKey(deps.masterKey, key.uploadKey, started.uploadId);
      return {
        bytes: started.bytes,
        stream: partStream(started.uploadId, started.partCount, sealKey, finish),
      };
    },
  };
}
