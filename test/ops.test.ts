import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type HushFixture, json, makeHush, userSession } from './helpers/hush-fixture.js';

interface SchemaObject {
  readonly type?: string;
  readonly example?: unknown;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly properties?: Record<string, SchemaObject>;
  readonly required?: readonly string[];
  readonly anyOf?: readonly SchemaObject[];
}
interface OpenApi {
  readonly paths: Record<
    string,
    { post?: { requestBody?: { content: Record<string, { schema: SchemaObject }> } } } | undefined
  >;
}

/**
 * The body Swagger UI fills in for "Try it out": each property's example (or default), and for
 * numbers without either the smallest allowed value.
 */
function exampleOf(schema: SchemaObject): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.anyOf?.[0]) return exampleOf(schema.anyOf[0]);
  if (schema.properties) {
    return Object.fromEntries(
      Object.entries(schema.properties).map(([key, inner]) => [key, exampleOf(inner)]),
    );
  }
  if (schema.type === 'integer' || schema.type === 'number') return schema.minimum ?? 0;
  if (schema.type === 'boolean') return true;
  return 'string';
}

describe('operations endpoints', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f.close());

  it('/healthz and /readyz', async () => {
    expect(json(await f.hush.app.inject('/healthz'))).toEqual({ status: 'ok' });
    expect(json(await f.hush.app.inject('/readyz'))).toEqual({ status: 'ready' });
  });

  it('/metrics exposes Prometheus text with request and audit counters to an admin', async () => {
    await f.hush.app.inject({ method: 'POST', url: '/api/v1/shares', payload: { secret: 'm' } });
    const res = await f.hush.app.inject({ url: '/metrics', headers: f.adminAuth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(
      /hush_http_request_duration_seconds_bucket\{.*route="\/api\/v1\/shares".*status="201"/,
    );
    expect(res.body).toMatch(/hush_audit_events_total\{type="share.created"\} 1/);
    expect(res.body).toContain('hush_process_resident_memory_bytes');
  });

  it('/metrics is not public: no token 401, a user token 403, a wrong scraper token 401', async () => {
    const anonymous = await f.hush.app.inject('/metrics');
    expect(anonymous.statusCode).toBe(401);
    expect(json(anonymous)).toMatchObject({ error: 'unauthorized' });
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(anonymous.body).not.toContain('hush_audit_events_total');
    const user = await userSession(f, 'metrics-user');
    const asUser = await f.hush.app.inject({ url: '/metrics', headers: bearer(user.access_token) });
    expect(asUser.statusCode).toBe(403);
    const wrong = await f.hush.app.inject({ url: '/metrics', headers: bearer('not-the-metrics-token') });
    expect(wrong.statusCode).toBe(401);
  });

  it('serves the docs UI as hush, under a policy that forbids framing and caching', async () => {
    const docs = await f.hush.app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('<title>hush API</title>');
    expect(docs.headers['cache-control']).toBe('no-store');
    expect(docs.headers['x-frame-options']).toBe('DENY');
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    for (const path of ['/api/docs/json', '/api/docs/yaml']) {
      const copy = await f.hush.app.inject(path);
      expect(copy.statusCode, path).toBe(308);
      expect(copy.headers.location).toBe('/api/openapi.json');
    }
  });

  it('the OpenAPI examples of the create routes are accepted as they stand', async () => {
    const spec = json<OpenApi>(await f.hush.app.inject('/api/openapi.json'));
    for (const path of ['/api/v1/shares', '/api/secret', '/generate']) {
      const schema = spec.paths[path]?.post?.requestBody?.content['application/json']?.schema;
      expect(schema, path).toBeDefined();
      const payload = exampleOf(schema as SchemaObject);
      const res = await f.hush.app.inject({ method: 'POST', url: path, payload: payload as object });
      expect(res.statusCode, `${path} ${JSON.stringify(payload)}: ${res.body}`).toBe(201);
    }
  });

  it('serves OpenAPI 3 with every route, and the docs UI', async () => {
    const spec = json<{ openapi: string; paths: Record<string, unknown> }>(
      await f.hush.app.inject('/api/openapi.json'),
    );
    expect(spec.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/v1/shares',
      '/api/v1/shares/{secretKey}',
      '/api/v1/shares/{secretKey}/reveal',
      '/api/v1/receipts/{receiptKey}',
      '/api/v1/receipts/{receiptKey}/burn',
      '/api/v1/events',
      '/api/secret',
      '/api/secret/{secretKey}',
      '/api/event',
      '/generate',
      '/secrets/{secretKey}',
      '/healthz',
    ]) {
      expect(spec.paths, p).toHaveProperty([p]);
    }
    const docs = await f.hush.app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('sets no-store and safety headers, and echoes a safe request id', async () => {
    const res = await f.hush.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'x-request-id': 'abc-123',
    });
    const unsafe = await f.hush.app.inject({ url: '/healthz', headers: { 'x-request-id': 'a b\u0007c' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes and methods with the JSON error shape', async () => {
    for (const [method, url] of [
      ['GET', '/nope'],
      ['PUT', '/api/v1/shares'],
      ['PATCH', '/api/secret/x'],
    ] as const) {
      const res = await f.hush.app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(json(res)).toMatchObject({ error: 'route_not_found', request_id: res.headers['x-request-id'] });
    }
  });
});

describe('readiness when storage is gone', () => {
  it('reports 503 without a stack or driver message', async () => {
    const f = await makeHush();
    await f.hush.storage.close();
    const res = await f.hush.app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(json(res)).toEqual({ status: 'storage_unavailable' });
    const create = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/shares',
      payload: { secret: 'x' },
    });
    expect(create.statusCode).toBe(500);
    expect(json(create)).toMatchObject({ error: 'internal', message: 'Something went wrong on our side.' });
    await f.hush.app.close();
    rmSync(f.dir, { recursive: true, force: true });
  });
});

describe('per-client rate limits', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush({ HUSH_RATE_LIMIT_MAX: '3', HUSH_RATE_LIMIT_WINDOW_SECONDS: '60' });
  });
  afterAll(() => f.close());

  it('answer 429 JSON with retry-after past the limit; ops routes are exempt', async () => {
    // A client of its own: the fixture's admin sign-in already counted against 127.0.0.1.
    const LIMITED = '198.51.100.7';
    const hit = () =>
      f.hush.app.inject({ method: 'GET', url: `/api/v1/shares/${'A'.repeat(43)}`, remoteAddress: LIMITED });
    for (let i = 0; i < 3; i++) expect((await hit()).statusCode).toBe(404);
    const limited = await hit();
    expect(limited.statusCode).toBe(429);
    expect(json(limited).error).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      expect((await f.hush.app.inject({ url: '/healthz', remoteAddress: LIMITED })).statusCode).toBe(200);
    }
    const other = await f.hush.app.inject({
      method: 'GET',
      url: `/api/v1/shares/${'A'.repeat(43)}`,
      remoteAddress: '10.1.2.3',
    });
    expect(other.statusCode).toBe(404);
  });
});

describe('client IP behind a proxy', () => {
  const createFrom = async (f: HushFixture) => {
    await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/shares',
      payload: { secret: 'p' },
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    const events = json<{ events: { client_ip: string }[] }>(
      await f.hush.app.inject({ url: '/api/v1/events', headers: f.adminAuth }),
    );
    return events.events[0]?.client_ip;
  };

  it('ignores X-Forwarded-For by default', async () => {
    const f = await makeHush();
    try {
      expect(await createFrom(f)).toBe('127.0.0.1');
    } finally {
      await f.close();
    }
  });

  it('uses it from a trusted proxy (HUSH_TRUST_PROXY)', async () => {
    const f = await makeHush({ HUSH_TRUST_PROXY: '127.0.0.1' });
    try {
      expect(await createFrom(f)).toBe('203.0.113.9');
    } finally {
      await f.close();
    }
  });
});
