import { createFileApi, type FileApi } from '../client/file-api.js';
import { createShareApi, type ShareApi } from '../client/share-api.js';
import { CliError, EXIT } from './cli-errors.js';

/** Where `hush share` sends a secret when neither --server nor HUSH_URL names a server. */
export const DEFAULT_SERVER = 'http://127.0.0.1:8080';
const TIMEOUT_MS = 60_000;

/**
 * `--server` wins over HUSH_URL, which wins over `fallback`. Commands that take a link pass an empty
 * env: the link names its server, and a HUSH_URL meant for sharing must not send its key elsewhere.
 */
export function resolveServer(flag: string | undefined, env: NodeJS.ProcessEnv, fallback: string): string {
  const [name, value] =
    flag !== undefined ? ['--server', flag] : env.HUSH_URL ? ['HUSH_URL', env.HUSH_URL] : ['', fallback];
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new CliError(EXIT.usage, `${name} must be an http(s) URL like https://hush.example.com`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new CliError(EXIT.usage, `${name} must be an http(s) URL like https://hush.example.com`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * The shared API client (src/client/share-api.ts) with a time limit on each call and a failure
 * reason a person can act on (ECONNREFUSED, ENOTFOUND) instead of fetch's bare "fetch failed".
 */
export function openShareApi(base: string, bearer?: string): ShareApi {
  return createShareApi(base, bearer === undefined ? timedFetch : withBearer(timedFetch, bearer));
}

/** fetch that sends `Authorization: Bearer <token>` (the share API client talks to one server only). */
function withBearer(fetchImpl: typeof fetch, token: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetchImpl(input, { ...init, headers });
  };
}

/**
 * The files API (uploads and downloads) with a time limit on each wait for an answer, but none on
 * reading a download's body: a large file may take longer than any fixed limit to arrive.
 */
export function openFileApi(base: string, bearer?: string): FileApi {
  return createFileApi(base, { fetch: answerTimedFetch, ...(bearer !== undefined && { bearer }) });
}

const answerTimedFetch: typeof fetch = async (input, init) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('no answer', 'TimeoutError')), TIMEOUT_MS);
  try {
    return await fetch(input, { ...init, signal: controller.signal });
  } catch (error) {
    throw new Error(failureReason(error));
  } finally {
    clearTimeout(timer);
  }
};

/** fetch with a time limit, failing with a reason a person can act on (never the request). */
export const timedFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new Error(failureReason(error));
  }
};

function failureReason(error: unknown): string {
  const { name, message, cause } = error as { name?: string; message?: string; cause?: unknown };
  if (name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const detail = cause as { code?: string; message?: string } | undefined;
  return detail?.code ?? detail?.message ?? message ?? 'unknown failure';
}
