import { expect } from 'vitest';
import { ERROR_TABLE, type ErrorCode } from '../../src/errors/error-table.js';
import type { HushFixture } from '../helpers/hush-fixture.js';

/**
 * Shared invariants of the fuzz suites. For every answer: no 5xx, and every error is the one
 * documented shape `{error, message, request_id}` with a code and status from ERROR_TABLE, the
 * request id echoed in X-Request-Id, no-store caching, and no key from the URL echoed back.
 * Create routes are also checked against a model of the documented limits (`createAccepts`).
 */

/** Scales every numRuns, e.g. FUZZ_SCALE=10 for a long local run. */
export const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
export const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

/** Defaults of the fixture's config (asserted when the fixture starts, so the model cannot drift). */
export const LIMITS = {
  ttlMin: 60,
  ttlMax: 30 * 86_400,
  maxViews: 100,
  maxBytes: 64 * 1024,
  passphraseMax: 1024,
};
export const PASSPHRASE = 'correct horse battery staple';

export type InjectResponse = Awaited<ReturnType<HushFixture['hush']['app']['inject']>>;
export type Method =
  | 'GET'
  | 'POST'
  | 'PUT'
  | 'DELETE'
  | 'PATCH'
  | 'OPTIONS'
  | 'HEAD'
  | 'TRACE'
  | 'SEARCH'
  | 'PROPFIND';

export interface Sent {
  readonly method: string;
  readonly url: string;
  /** Texts that must never come back in an error body (keys put into the URL). */
  readonly avoid?: readonly string[];
}

export const describeSent = (sent: Sent, res: { statusCode: number; body: string }) =>
  `${sent.method} ${sent.url.slice(0, 160)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;

/** The invariants every answer must satisfy, whatever was sent. */
export function checkResponse(res: InjectResponse, sent: Sent): void {
  const where = describeSent(sent, res);
  expect(res.statusCode, where).toBeGreaterThanOrEqual(200);
  expect(res.statusCode, where).toBeLessThan(500);
  const requestId = res.headers['x-request-id'];
  expect(typeof requestId, `x-request-id header: ${where}`).toBe('string');
  // As inject() itself resolves it (a leading '//' would otherwise read as a host).
  const pathname = new URL(
    sent.url.startsWith('//') ? `http://localhost${sent.url}` : sent.url,
    'http://localhost',
  ).pathname;
  if (!pathname.startsWith('/api/docs')) expect(res.headers['cache-control'], where).toBe('no-store');
  if (res.statusCode < 400 || sent.method === 'HEAD') return;

  expect(res.headers['content-type'], where).toMatch(/^application\/json/);
  let body: unknown;
  expect(() => {
    body = JSON.parse(res.body);
  }, where).not.toThrow();
  expect(body, where).toEqual({
    error: expect.any(String),
    message: expect.any(String),
    request_id: requestId,
  });
  const code = (body as { error: string }).error;
  expect(Object.keys(ERROR_TABLE), where).toContain(code);
  expect(res.statusCode, where).toBe(ERROR_TABLE[code as ErrorCode].status);
  for (const text of sent.avoid ?? []) {
    if (text.length >= 8) expect(res.body, `error body echoes ${text}: ${where}`).not.toContain(text);
  }
}

/** JSON.stringify that never throws (BigInt) and never returns undefined. */
export function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}

/** Whether inject() can build a request for this URL at all (it parses it as light-my-request does). */
export function injectable(url: string): boolean {
  try {
    new URL(url.startsWith('//') ? `http://localhost${url}` : url, 'http://localhost');
    return true;
  } catch {
    return false;
  }
}

export function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text; // lone surrogates: send as they are
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isOptionalInt = (value: unknown, min: number, max: number) =>
  value === undefined ||
  value === null ||
  (Number.isInteger(value) && (value as number) >= min && (value as number) <= max);

export type CreateKind = 'native' | 'seed000' | 'seed002';

/** The documented contract of the create routes: true when the body must be accepted. */
export function createAccepts(kind: CreateKind, parsed: unknown): boolean {
  if (!isPlainObject(parsed)) return false;
  const allowed =
    kind === 'native'
      ? ['secret', 'passphrase', 'ttl_seconds', 'max_views']
      : ['secret', 'passphrase', 'ttl_seconds'];
  if (Object.keys(parsed).some((key) => !allowed.includes(key))) return false;
  const { secret, passphrase, ttl_seconds, max_views } = parsed;
  if (typeof secret !== 'string' || secret.length === 0 || !secret.isWellFormed()) return false;
  if (Buffer.byteLength(secret, 'utf8') > LIMITS.maxBytes) return false;
  if (kind === 'seed002' && typeof passphrase !== 'string') return false;
  if (passphrase !== undefined && passphrase !== null) {
    if (typeof passphrase !== 'string' || passphrase.length < 1 || passphrase.length > LIMITS.passphraseMax)
      return false;
    if (!passphrase.isWellFormed()) return false;
  }
  if (!isOptionalInt(ttl_seconds, LIMITS.ttlMin, LIMITS.ttlMax)) return false;
  if (kind === 'native' && !isOptionalInt(max_views, 1, LIMITS.maxViews)) return false;
  return true;
}

export interface BodyRoute {
  readonly method: 'POST' | 'DELETE';
  /** Its entry in BODY_LIMITS. */
  readonly route: string;
  readonly key: 'secret' | 'receipt' | 'none';
  readonly create?: CreateKind;
  path(key: string): string;
}

export const BODY_ROUTES: readonly BodyRoute[] = [
  {
    method: 'POST',
    route: 'POST /api/v1/shares',
    key: 'none',
    create: 'native',
    path: () => '/api/v1/shares',
  },
  {
    method: 'POST',
    route: 'POST /api/v1/shares/:secretKey/reveal',
    key: 'secret',
    path: (k) => `/api/v1/shares/${k}/reveal`,
  },
  {
    method: 'DELETE',
    route: 'DELETE /api/v1/shares/:secretKey',
    key: 'secret',
    path: (k) => `/api/v1/shares/${k}`,
  },
  {
    method: 'POST',
    route: 'POST /api/v1/receipts/:receiptKey/burn',
    key: 'receipt',
    path: (k) => `/api/v1/receipts/${k}/burn`,
  },
  { method: 'POST', route: 'POST /api/secret', key: 'none', create: 'seed000', path: () => '/api/secret' },
  {
    method: 'DELETE',
    route: 'DELETE /api/secret/:secretKey',
    key: 'secret',
    path: (k) => `/api/secret/${k}`,
  },
  { method: 'POST', route: 'POST /generate', key: 'none', create: 'seed002', path: () => '/generate' },
  { method: 'POST', route: 'POST /secrets/:secretKey', key: 'secret', path: (k) => `/secrets/${k}` },
];
export const CREATE_ROUTES = BODY_ROUTES.filter((route) => route.create !== undefined);

export const PATH_PREFIXES = [
  '/',
  '/api/',
  '/api/v1/',
  '/api/v1/shares/',
  '/api/v1/receipts/',
  '/api/v1/events',
  '/api/v1/events/',
  '/api/secret/',
  '/api/event',
  '/generate/',
  '/secrets/',
  '/healthz',
  '/readyz/',
  '/metrics',
  '/api/openapi.json',
  '/api/docs/',
  '/api/docs/static/',
];

export const METHODS: readonly Method[] = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'TRACE',
  'SEARCH',
  'PROPFIND',
];
