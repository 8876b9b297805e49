import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, makeHush } from './helpers/hush-fixture.js';
import { WEB_OUT } from './helpers/web-page.js';

const KEY43 = `${'A'.repeat(42)}w`;
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** dist/web is built by the web-page global setup (test/servers/web-page-setup.ts). */
describe('serving the web page', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(async () => f?.close());
  const get = (url: string) => f.hush.app.inject({ method: 'GET', url });

  it.each(['/', '/?from=somewhere', `/s/${KEY43}`, `/r/${KEY43}`])(
    '%s answers index.html with the page CSP, never cached',
    async (url) => {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toBe(readFileSync(path.join(WEB_OUT, 'index.html'), 'utf8'));
      expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it('consumes nothing: opening a share page many times leaves its views alone', async () => {
    const created = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/shares',
      payload: { secret: 'x' },
    });
    const { secret_key } = created.json<{ secret_key: string }>();
    for (let i = 0; i < 3; i++) expect((await get(`/s/${secret_key}`)).statusCode).toBe(200);
    expect((await get(`/api/v1/shares/${secret_key}`)).json()).toMatchObject({ views_left: 1 });
  });

  it('serves hashed assets with a year of immutable caching and the page CSP', async () => {
    const names = readdirSync(path.join(WEB_OUT, 'assets'));
    const script = names.find((name) => name.endsWith('.js'));
    const style = names.find((name) => name.endsWith('.css'));
    for (const [name, type] of [
      [script, 'text/javascript; charset=utf-8'],
      [style, 'text/css; charset=utf-8'],
    ] as const) {
      const res = await get(`/assets/${name}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(res.rawPayload.equals(readFileSync(path.join(WEB_OUT, 'assets', name ?? '')))).toBe(true);
    }
  });

  it.each([
    '/assets/index-00000000.js',
    '/assets/..%2Fpackage.json',
    '/assets/..%2F..%2Fpackage.json',
    '/assets/.hidden.js',
    '/assets/index.html',
    '/assets/',
  ])('%s is a 404 JSON error, never a file outside the assets', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'route_not_found' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('leaves the API its own strict CSP and no-store, and keeps the page out of the OpenAPI document', async () => {
    const res = await get(`/api/v1/shares/${KEY43}`);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
    const paths = Object.keys((await get('/api/openapi.json')).json<{ paths: object }>().paths);
    for (const page of ['/', '/s/{secretKey}', '/r/{receiptKey}', '/assets/{name}']) {
      expect(paths).not.toContain(page);
    }
  });
});
