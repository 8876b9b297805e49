import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, makeHush } from './helpers/hush-fixture.js';
import { WEB_OUT } from './helpers/web-page.js';

const KEY43 = `${'A'.repeat(42)}w`;
/** The default share limits (src/config/config.ts), as the page's `hush-limits` meta tag says them. */
const LIMITS = 'ttl-default=86400 ttl-min=60 ttl-max=2592000 max-views=100 max-file-bytes=26214400';
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
      // The built page, with the share limits of now in its meta tag (read by the create form).
      const built = readFileSync(path.join(WEB_OUT, 'index.html'), 'utf8');
      expect(built).toContain('<meta name="hush-limits" content=""');
      expect(res.body).toBe(
        built.replace('<meta name="hush-limits" content=""', `<meta name="hush-limits" content="${LIMITS}"`),
      );
      expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it('carries the share limits as the settings hold them at each request', async () => {
    const set = (key: string, value: number) =>
      f.hush.app.inject({
        method: 'POST',
        url: '/api/v1/sys/setting',
        headers: f.adminAuth,
        payload: { key, value },
      });
    const reset = (key: string) =>
      f.hush.app.inject({ method: 'POST', url: `/api/v1/sys/setting/${key}/reset`, headers: f.adminAuth });
    try {
      expect((await set('shares.ttl_max_seconds', 604_800)).statusCode).toBe(200);
      expect((await set('shares.max_views', 7)).statusCode).toBe(200);
      expect((await set('shares.max_file_bytes', 1000)).statusCode).toBe(200);
      expect((await get('/')).body).toContain(
        '<meta name="hush-limits" content="ttl-default=86400 ttl-min=60 ttl-max=604800 max-views=7 max-file-bytes=1000"',
      );
    } finally {
      await reset('shares.ttl_max_seconds');
      await reset('shares.max_views');
      await reset('shares.max_file_bytes');
    }
    expect((await get('/')).body).toContain(`<meta name="hush-limits" content="${LIMITS}"`);
  });

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

  const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  it.each(['GET', 'HEAD'] as const)(
    'a browser %s of an unknown path gets the page with a 404',
    async (method) => {
      const res = await f.hush.app.inject({
        method,
        url: '/no/such/page?x=1',
        headers: { accept: BROWSER_ACCEPT },
      });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      if (method === 'GET') expect(res.body).toBe(readFileSync(path.join(WEB_OUT, 'index.html'), 'utf8'));
      expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    },
  );

  it.each([
    ['GET', '/no/such/page', undefined],
    ['GET', '/no/such/page', 'application/json'],
    ['GET', '/no/such/page', '*/*'],
    ['GET', '/api/v1/nothing-here', '*/*'],
    ['POST', '/no/such/page', BROWSER_ACCEPT],
    ['DELETE', '/no/such/page', BROWSER_ACCEPT],
  ] as const)('an API client (%s %s, Accept %s) still gets the JSON 404', async (method, url, accept) => {
    const res = await f.hush.app.inject({ method, url, headers: accept ? { accept } : {} });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ error: 'route_not_found', message: 'No such route.' });
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
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
