import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeStorage } from './helpers/node-storage.js';
import {
  expectVaultError,
  rawVault,
  startVaultHush,
  type VaultHush,
  vaultUser,
} from './helpers/vault-server.js';

/**
 * Vault's error shape and statuses on /v1, through node-vault and raw requests shaped as Vault's
 * Go client sends them, on SQLite and PostgreSQL: tokens, unknown paths, router errors, bodies
 * (no Content-Type, bad, too large, too complex), what hush refuses to pretend, and the audit log.
 */
const BACKENDS: readonly NodeStorage[] = ['sqlite', 'postgres'];

describe.each(BACKENDS)('Vault errors at /v1 (%s)', (backend) => {
  let v: VaultHush;
  beforeAll(async () => {
    v = await startVaultHush(backend);
  });
  afterAll(() => v?.close());

  describe('Vault’s error shape and statuses', () => {
    it('a missing, malformed or unknown token is 403 permission denied, never a 401', async () => {
      await expectVaultError(v.client().tokenLookupSelf(), 403, 'permission denied');
      await expectVaultError(v.client('not-a-hush-token').tokenLookupSelf(), 403, 'permission denied');
      const spaced = await rawVault(v, 'GET', 'auth/token/lookup-self', { token: 'two words' });
      expect(spaced.status).toBe(403);
      expect(spaced.json()).toEqual({ errors: ['permission denied'] });
      expect(spaced.headers['www-authenticate']).toBeUndefined();
    });

    it('an unknown path below /v1 is a 404 in Vault’s shape, without echoing the path', async () => {
      const res = await rawVault(v, 'GET', 'cubbyhole/my-secret-name');
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ errors: ['no handler for route'] });
      expect(res.text).not.toContain('my-secret-name');
      expect((await rawVault(v, 'PUT', 'sys/health')).status).toBe(404);
    });

    it('a router error (a parameter over the router’s length, bad %-encoding) answers Vault’s shape too', async () => {
      const long = await rawVault(v, 'POST', `auth/userpass/login/${'a'.repeat(300)}`, { body: '{}' });
      expect(long.status).toBe(400);
      expect(long.json()).toEqual({ errors: [expect.any(String)] });
      const encoded = await rawVault(v, 'POST', 'auth/userpass/login/%zz', { body: '{}' });
      expect(encoded.status).toBe(400);
      expect(encoded.json()).toEqual({ errors: [expect.any(String)] });
      // Elsewhere, hush's own shape stays.
      const native = await v.f.hush.app.inject({
        method: 'POST',
        url: `/api/v1/users/${'a'.repeat(300)}/delete`,
      });
      expect(native.json()).toMatchObject({ error: 'bad_request' });
    });

    it('a bad body is a 400 naming the field; a body with no Content-Type is read as JSON, as Vault does', async () => {
      const name = `fay-${backend}`;
      await v.f.hush.users.create({ username: name, role: 'user', password: 'fay password 0123456789' });
      await expectVaultError(
        v.client().request({ path: `/auth/userpass/login/${name}`, method: 'POST', json: { password: 5 } }),
        400,
        /password/,
      );
      const bare = await rawVault(v, 'PUT', `auth/userpass/login/${name}`, {
        body: JSON.stringify({ password: 'fay password 0123456789' }),
      });
      expect(bare.status, bare.text).toBe(200);
      expect(bare.json<{ auth: { metadata: unknown } }>().auth.metadata).toEqual({ username: name });
      const text = await rawVault(v, 'POST', `auth/userpass/login/${name}`, {
        body: '{"password":',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(400);
      expect(text.json()).toEqual({ errors: [expect.any(String)] });
      const latin1 = await rawVault(v, 'POST', `auth/userpass/login/${name}`, {
        body: '{"password":"\u00ff"}',
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(latin1.status).toBe(400);
    });

    it('a body over the route’s limit is a 413, and one too complex a 400, before it is parsed', async () => {
      const big = JSON.stringify({ password: 'x'.repeat(40 * 1024) });
      const res = await rawVault(v, 'POST', 'auth/userpass/login/someone', { body: big });
      expect(res.status).toBe(413);
      expect(res.json()).toEqual({ errors: ['The request body is too large.'] });
      const keys = `{${Array.from({ length: 200 }, (_, i) => `"k${i}":1`).join(',')}}`;
      const complex = await rawVault(v, 'POST', 'auth/userpass/login/someone', { body: keys });
      expect(complex.status).toBe(400);
      expect(complex.json<{ errors: string[] }>().errors[0]).toMatch(/more fields/);
    });

    it('refuses what hush does not do instead of pretending: namespaces, response wrapping', async () => {
      const { login: signedIn } = await vaultUser(v, `gus-${backend}`);
      const token = signedIn.auth.client_token;
      const namespaced = await rawVault(v, 'GET', 'auth/token/lookup-self', {
        token,
        headers: { 'x-vault-namespace': 'team-a' },
      });
      expect(namespaced.status).toBe(400);
      expect(namespaced.json()).toEqual({ errors: ['Namespaces are not supported by hush.'] });
      const root = await rawVault(v, 'GET', 'auth/token/lookup-self', {
        token,
        headers: { 'x-vault-namespace': '', 'x-vault-request': 'true' },
      });
      expect(root.status).toBe(200);
      const wrapped = await rawVault(v, 'GET', 'auth/token/lookup-self', {
        token,
        headers: { 'x-vault-wrap-ttl': '60s' },
      });
      expect(wrapped.status).toBe(400);
    });

    it('writes the login and the failed login to the audit log like the native sign-in', async () => {
      const { login: signedIn } = await vaultUser(v, `hal-${backend}`);
      await expectVaultError(
        v.client().userpassLogin({ username: `hal-${backend}`, password: 'not the password 01' }),
        400,
      );
      const page = await v.f.hush.audit.list({ type: 'auth.', actor: `hal-${backend}` }, 1, 50);
      expect(page.events.map((event) => event.type).sort()).toEqual(['auth.login', 'auth.login_failed']);
      expect(page.events.every((event) => event.requestId !== undefined)).toBe(true);
      expect(JSON.stringify(page)).not.toContain(signedIn.auth.client_token);
    });
  });
});
