import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerErrorHandling } from './error-handler.js';
import { registerRequireHttps } from './require-https.js';
import { registerSecurityHeaders } from './security-headers.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A bare app behind a trusted proxy at 10.0.0.1, with hush's error and header plugins. */
async function app(required: boolean): Promise<FastifyInstance> {
  const instance = Fastify({ trustProxy: ['10.0.0.1'] });
  registerErrorHandling(instance);
  registerSecurityHeaders(instance);
  registerRequireHttps(instance, required);
  instance.get('/healthz', async () => ({ status: 'ok' }));
  instance.get('/v1/sys/health', async () => ({ initialized: true }));
  instance.get('/readyz', async () => ({ status: 'ready' }));
  instance.post('/api/thing', async (request) => ({ got: request.body }));
  await instance.ready();
  apps.push(instance);
  return instance;
}

const fromProxy = { remoteAddress: '10.0.0.1', headers: { 'x-forwarded-proto': 'https' } };

describe('require HTTPS', () => {
  it('refuses plain HTTP with 403 https_required before parsing the body', async () => {
    const res = await (await app(true)).inject({
      method: 'POST',
      url: '/api/thing',
      headers: { 'content-type': 'application/json' },
      payload: '{broken',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'https_required' });
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('refuses unknown routes too, but not the health probes (GET or HEAD, with a query)', async () => {
    const instance = await app(true);
    expect((await instance.inject({ url: '/nowhere' })).json()).toMatchObject({ error: 'https_required' });
    expect((await instance.inject({ url: '/healthz?x=1' })).statusCode).toBe(200);
    expect((await instance.inject({ method: 'HEAD', url: '/readyz' })).statusCode).toBe(200);
    expect((await instance.inject({ url: '/v1/sys/health?standbyok=true' })).statusCode).toBe(200);
    expect((await instance.inject({ url: '/v1/sys/mounts' })).json()).toMatchObject({
      error: 'https_required',
    });
  });

  it('lets through what the trusted proxy marks https, and adds HSTS', async () => {
    const res = await (await app(true)).inject({
      method: 'POST',
      url: '/api/thing',
      payload: { a: 1 },
      ...fromProxy,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('believes no one else claiming https', async () => {
    const res = await (await app(true)).inject({
      method: 'POST',
      url: '/api/thing',
      payload: {},
      remoteAddress: '10.0.0.2',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('does nothing when off', async () => {
    const res = await (await app(false)).inject({ method: 'POST', url: '/api/thing', payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
