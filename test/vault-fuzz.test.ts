import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathText } from './fuzz/arbitraries.js';
import { encodeSegment, injectable, runs } from './fuzz/support.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type HushFixture, login, makeHush } from './helpers/hush-fixture.js';

/**
 * The Vault surface under property-based fuzzing: every /v1 route with random path tails,
 * queries, methods, bodies, Content-Types and tokens (none, garbage, a user's, an admin's). Never
 * a 5xx, always Vault's error shape, never a credential of the request echoed. (The /v1 routes are
 * not in the OpenAPI document the store fuzz suite derives its requests from: this is theirs.)
 */

/** Every route template of the surface; `*` is a path tail, `:x` one segment. */
const ROUTES = [
  'sys/health',
  'sys/internal/ui/mounts/*',
  'sys/mounts-all/*',
  'auth/token/lookup-self',
  'auth/token/renew-self',
  'auth/token/revoke-self',
  'auth/token/create',
  'auth/userpass/login/:username',
  'auth/approle/login',
  'auth/approle/role/:name',
  'auth/approle/role/:name/role-id',
  'auth/approle/role/:name/secret-id',
  'auth/approle/role/:name/secret-id-accessor/destroy',
  'secret/data/*',
  'secret/metadata/*',
  'secret/metadata',
  'secret/delete/*',
  'secret/undelete/*',
  'secret/destroy/*',
] as const;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const TYPES = [undefined, 'application/json', 'application/merge-patch+json', 'text/plain'] as const;
const QUERIES = ['', '?list=true', '?list=1', '?list=maybe', '?version=2', '?version=-1', '?version=x'];
/** Fields the routes know, so that shaped bodies get past the schema now and then. */
const FIELDS = [
  'data',
  'options',
  'versions',
  'password',
  'role_id',
  'secret_id',
  'secret_id_accessor',
  'ttl',
  'increment',
  'num_uses',
  'policies',
  'token_policies',
  'token_ttl',
  'metadata',
  'cidr_list',
  'custom_metadata',
  'max_versions',
  'delete_version_after',
  'cas_required',
];

const segment = fc.oneof(fc.constantFrom('apps', 'ci', 'admin', 'a.b-c_d'), pathText.map(encodeSegment));
const tail = fc.array(segment, { maxLength: 4 }).map((parts) => parts.join('/'));
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), fc.constant(null))),
  fc.constantFrom('1h', '90s', '0', 'forever', '1,2', '10.0.0.0/8', '{"env":"ci"}'),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }).map((json) => JSON.stringify(json)),
  fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 5 }).map((json) => JSON.stringify(json)),
  fc.string({ maxLength: 40 }),
);
const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  method: fc.constantFrom(...METHODS),
  tail,
  name: segment,
  query: fc.constantFrom(...QUERIES),
  type: fc.constantFrom(...TYPES),
  body,
  caller: fc.constantFrom('none', 'garbage', 'user', 'admin', 'fresh-admin'),
  header: fc.constantFrom('x-vault-token', 'authorization'),
});

describe('fuzz: the Vault surface at /v1', () => {
  let f: HushFixture;
  const tokens = { user: '', admin: '' };
  beforeAll(async () => {
    f = await makeHush();
    await f.hush.users.create({ username: 'fuzz-user', role: 'user', password: 'fuzz user password 0123' });
    tokens.user = (await login(f.hush.app, 'fuzz-user', 'fuzz user password 0123')).access_token;
    tokens.admin = (await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD)).access_token;
  });
  afterAll(() => f?.close());

  it('never answers a 5xx, always in Vault’s shape, and echoes no credential', async () => {
    const statuses = new Map<string, Set<number>>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        // A fresh admin token where the call may revoke it (revoke-self), so the fixture's stay valid.
        const revokes = r.route === 'auth/token/revoke-self' && (r.caller === 'user' || r.caller === 'admin');
        const token =
          r.caller === 'fresh-admin' || revokes
            ? (await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD)).access_token
            : r.caller === 'garbage'
              ? 'hush_at_not-a-real-token-0123456789'
              : r.caller === 'none'
                ? undefined
                : tokens[r.caller];
        const path = r.route.replace('*', r.tail).replace(/:\w+/, r.name);
        const url = `/v1/${path}${r.query}`;
        if (!injectable(url)) return;
        const headers: Record<string, string> = {};
        if (token) headers[r.header] = r.header === 'authorization' ? `Bearer ${token}` : token;
        if (r.type && r.body !== undefined) headers['content-type'] = r.type;
        const res = await f.hush.app.inject({
          method: r.method,
          url,
          headers,
          ...(r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD' && { payload: r.body }),
        });
        const where = `${r.method} ${url} (${r.caller}, ${r.type}) ${r.body ?? ''} → ${res.statusCode} ${res.body.slice(0, 300)}`;
        const seen = statuses.get(r.route) ?? new Set<number>();
        seen.add(res.statusCode);
        statuses.set(r.route, seen);
        expect(res.statusCode, where).toBeLessThan(500);
        expect(res.headers['x-request-id'], where).toEqual(expect.any(String));
        // Only lookup-self and renew-self answer the caller's own token, as Vault does.
        const ownTokenAnswer = /^auth\/token\/(lookup|renew)-self$/.test(r.route) && res.statusCode < 300;
        if (token && !ownTokenAnswer) expect(res.body, where).not.toContain(token);
        if (res.statusCode < 400 || r.method === 'HEAD') return;
        const parsed = JSON.parse(res.body) as Record<string, unknown>;
        const isDeletedVersion = res.statusCode === 404 && 'data' in parsed;
        if (!isDeletedVersion) {
          expect(Object.keys(parsed), where).toEqual(['errors']);
          expect(
            (parsed.errors as unknown[]).every((e) => typeof e === 'string'),
            where,
          ).toBe(true);
        }
      }),
      { numRuns: runs(600) },
    );
    // Every route was reached, and past the token check somewhere.
    expect([...statuses.keys()].sort()).toEqual([...ROUTES].sort());
    const fixture = await f.hush.app.inject({
      url: '/v1/auth/token/lookup-self',
      headers: { 'x-vault-token': tokens.admin },
    });
    expect(fixture.statusCode).toBe(200);
  }, 180_000);
});
