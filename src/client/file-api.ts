import { ApiError, createApiCall, type Fetch, responseError } from './api-call.js';
import { type ByteSource, blocks, fromReadableStream } from './byte-stream.js';
import { UPLOAD_PART_BYTES } from './file-format.js';

/**
 * The files API for the page and the CLI: uploading a share's stored (already encrypted) byte
 * stream in parts, and downloading it once with the grant a reveal gave. Bytes flow one part at a
 * time: neither side holds a whole file.
 */
export interface UploadRef {
  readonly id: string;
  readonly key: string;
}

/** Bytes done so far of `total`. */
export type ProgressCallback = (done: number, total: number) => void;

export interface FileApiOptions {
  readonly fetch?: Fetch;
  readonly bearer?: string;
  /** How many times a failed part is sent again (network failure, 5xx, 429): 3 by default. */
  readonly retries?: number;
  /** The wait before the first retry, doubled for each next one. */
  readonly retryDelayMs?: number;
}

export interface FileApi {
  /** Uploads exactly `bytes` stored bytes from `stored`; attach the answer to a share being created. */
  upload(stored: ByteSource, bytes: number, onProgress?: ProgressCallback): Promise<UploadRef>;
  /** Starts the single-use download: once asked, the grant is spent, whatever happens next. */
  download(downloadKey: string, bytes: number, onProgress?: ProgressCallback): Promise<ByteSource>;
}

interface UploadCreated {
  readonly upload_id: string;
  readonly upload_key: string;
  readonly part_bytes: number;
}

const UPLOAD_KEY_HEADER = 'hush-upload-key';
const MAX_PART_BYTES = 16 * UPLOAD_PART_BYTES;

const notHush = (root: string) => new ApiError(0, 'bad_answer', `${root} did not answer like a hush server`);
const retryable = (error: unknown) =>
  error instanceof ApiError && (error.status === 0 || error.status === 429 || error.status >= 500);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createFileApi(base: string, options: FileApiOptions = {}): FileApi {
  const root = base.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? fetch;
  const api = createApiCall(root, fetchImpl);
  const retries = options.retries ?? 3;
  const delayMs = options.retryDelayMs ?? 500;
  const auth: Record<string, string> =
    options.bearer === undefined ? {} : { authorization: `Bearer ${options.bearer}` };

  const send = async (url: string, init: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, credentials: 'omit', redirect: 'error' });
    } catch (error) {
      throw new ApiError(0, 'network', `cannot reach ${root} (${(error as Error).message})`);
    }
    if (!response.ok) throw await responseError(response);
    return response;
  };

  const putPart = async (created: UploadCreated, n: number, part: Uint8Array) => {
    const url = `${root}/api/v1/uploads/${encodeURIComponent(created.upload_id)}/parts/${n}`;
    const headers = {
      ...auth,
      'content-type': 'application/octet-stream',
      [UPLOAD_KEY_HEADER]: created.upload_key,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await send(url, { method: 'PUT', headers, body: part as Uint8Array<ArrayBuffer> });
        await response.body?.cancel();
        return;
      } catch (error) {
        if (attempt >= retries || !retryable(error)) throw error;
        await sleep(delayMs * 2 ** attempt);
      }
    }
  };

  return {
    async upload(stored, bytes, onProgress) {
      const created = await api<UploadCreated>('POST', '/api/v1/uploads', {
        body: { bytes },
        ...(options.bearer !== undefined && { bearer: options.bearer }),
      });
      const { upload_id, upload_key, part_bytes } = created;
      if (typeof upload_id !== 'string' || typeof upload_key !== 'string') throw notHush(root);
      if (!Number.isSafeInteger(part_bytes) || part_bytes < 1 || part_bytes > MAX_PART_BYTES)
        throw notHush(root);
      let done = 0;
      let n = 0;
      onProgress?.(0, bytes);
      for await (const part of blocks(stored, part_bytes)) {
        done += part.length;
        if (done > bytes) throw new ApiError(0, 'local', 'the files grew while they were being uploaded');
        await putPart(created, n++, part);
        onProgress?.(done, bytes);
      }
      if (done !== bytes) throw new ApiError(0, 'local', 'the files shrank while they were being uploaded');
      return { id: upload_id, key: upload_key };
    },

    async download(downloadKey, bytes, onProgress) {
      const url = `${root}/api/v1/downloads/${encodeURIComponent(downloadKey)}`;
      const response = await send(url, { method: 'POST', headers: auth });
      const length = response.headers.get('content-length');
      if (!response.body || (length !== null && Number(length) !== bytes)) {
        await response.body?.cancel();
        throw notHush(root);
      }
      return counted(fromReadableStream(response.body), bytes, onProgress);
    },
  };
}

/** Passes the stream through, reporting progress and refusing one that ends early or runs long. */
async function* counted(source: ByteSource, bytes: number, onProgress?: ProgressCallback): ByteSource {
  let done = 0;
  onProgress?.(0, bytes);
  try {
    for await (const piece of source) {
      done += piece.length;
      if (done > bytes) throw new ApiError(0, 'bad_answer', 'the download is longer than announced');
      onProgress?.(done, bytes);
      yield piece;
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(0, 'network', `the download broke off (${(error as Error).message})`);
  }
  if (done !== bytes) throw new ApiError(0, 'network', 'the download broke off before its end');
}
