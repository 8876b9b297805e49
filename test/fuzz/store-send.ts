import { expect } from 'vitest';
import { SECRET_FIELDS, SPECIAL_TEXTS } from './field-arbitraries.js';
import { describeOperation, type Operation } from './openapi-routes.js';
import { PROTECTED_USERS, type ResolveContext, type StoreHush } from './store-fixture.js';
import type { StoreRequest } from './store-requests.js';
import { checkResponse, describeSent, type InjectResponse, injectable, toJsonText } from './support.js';

/**
 * Sends one fuzzed request (placeholders resolved just before) and checks what every answer
 * must satisfy: no 5xx and the error shape (checkResponse), JSON on 2xx, no 2xx on a secured
 * route without a valid token, and no credential of the fixture or of the request echoed back.
 */

const FORM = 'application/x-www-form-urlencoded';

const normalized = (segment: string) => {
  let text = segment;
  try {
    text = decodeURIComponent(segment);
  } catch {}
  return text.normalize('NFKC').trim().toLowerCase();
};

/** Texts of the body's credential fields, when they are the caller's own random text. */
function sentSecrets(type: string | undefined, payload: string | undefined): string[] {
  if (payload === undefined) return [];
  let fields: Record<string, unknown> = {};
  try {
    if (type === FORM) fields = Object.fromEntries(new URLSearchParams(payload));
    else {
      const parsed: unknown = JSON.parse(payload);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        fields = parsed as Record<string, unknown>;
    }
  } catch {
    return [];
  }
  const others = Object.entries(fields)
    .filter(([key]) => !SECRET_FIELDS.includes(key))
    .map(([, value]) => toJsonText(value));
  return SECRET_FIELDS.map((key) => fields[key])
    .filter((value): value is string => typeof value === 'string' && value.length >= 12)
    .filter((value) => !SPECIAL_TEXTS.includes(value) && !others.some((other) => other.includes(value)));
}

/** Whether the URL, dot segments resolved as inject() does, is still under the route's fixed prefix. */
function staysUnder(op: Operation, url: string): boolean {
  const brace = op.path.indexOf('{');
  const prefix = brace === -1 ? op.path : op.path.slice(0, brace);
  const { pathname } = new URL(url.startsWith('//') ? `http://localhost${url}` : url, 'http://localhost');
  return brace === -1 ? pathname === prefix : pathname.startsWith(prefix);
}

/** How each operation answered across a run: status classes seen. */
export type Seen = Map<string, Set<number>>;

export async function sendRequest(
  hush: StoreHush,
  request: StoreRequest,
  seen: Seen,
): Promise<InjectResponse | undefined> {
  const { op, method } = request;
  const context: ResolveContext = { avoid: [] };
  const authorization = await hush.authFor(request.auth, request.garbage, context, request.fresh);
  let path = op.path;
  op.pathParams.forEach((name, i) => {
    let value = request.params[i] ?? '';
    // The fuzzer's own callers are never deleted: a real victim instead.
    if (method !== 'GET' && name === 'username' && PROTECTED_USERS.includes(normalized(value)))
      value = '{username}';
    path = path.replace(`{${name}}`, value);
  });
  const url = await hush.resolve(path + request.query, context);
  if (!injectable(url)) return undefined;
  const payload =
    request.body.payload === undefined ? undefined : await hush.resolve(request.body.payload, context);
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  if (request.body.type) headers['content-type'] = request.body.type;
  if (request.forwardedFor !== undefined) headers['x-forwarded-for'] = request.forwardedFor;
  if (request.cookie !== undefined) headers.cookie = await hush.resolve(request.cookie, context);
  const res = await hush.inject({
    method: method as 'GET',
    url,
    headers,
    ...(payload !== undefined && { payload: Buffer.from(payload, 'utf8') }),
  });
  const sent = { method, url };
  checkResponse(res, sent);
  const where = describeSent(sent, res);
  if (res.statusCode < 300 && res.statusCode !== 204 && method !== 'HEAD') {
    expect(res.headers['content-type'], where).toMatch(/^application\/json/);
    expect(() => JSON.parse(res.body), where).not.toThrow();
  }
  if (op.secured && !['admin', 'user', 'fresh'].includes(request.auth) && staysUnder(op, url)) {
    expect(res.statusCode >= 200 && res.statusCode < 300, `a 2xx without a valid token: ${where}`).toBe(
      false,
    );
  }
  for (const text of [...hush.never, ...context.avoid, ...sentSecrets(request.body.type, payload)]) {
    expect(res.body.includes(text), `echoes a credential (${text.slice(0, 12)}…): ${where}`).toBe(false);
  }
  const key = describeOperation(op);
  if (!seen.has(key)) seen.set(key, new Set());
  seen.get(key)?.add(res.statusCode);
  await hush.undo(method, url, res);
  return res;
}
