import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_USERNAME, login } from './helpers/hush-fixture.js';
import type { NodeStorage } from './helpers/node-storage.js';
import {
  ENVELOPE_KEYS,
  expectVaultError,
  rawVault,
  startVaultHush,
  type VaultHush,
  vaultUser,
} from './helpers/vault-server.js';

/**
 * The Vault-compatible surface at /v1 as the real node-vault package (and raw requests shaped
 * like Vault's Go client) see it, on SQLite and PostgreSQL: sys/health, the KV preflight,
 * userpass login, token lookup-self and revoke-self, Vault's envelope, error shape and statuses.
 */
const BACKENDS: readonly NodeStorage[] = ['sqlite', 'postgres'];

describe.each(BACKENDS)('Vault surface at /v1 (%s)', (backend) => {
  let v: VaultHush;
  beforeAll(async () => {
    v = await startVaultHush(backend);
  });
  afterAll(() => v?.close());

  it('runs on the backend it names', () => {
    expect(v.f.hush.storage.name).toBe(backend);
  });

  describe('sys/health', () => {
    it('answers node-vault’s health() without a token: initialised, unsealed, active', async () => {
      const health = await v.client().health();
      expect(health).toEqual({
        initialized: true,
        sealed: false,
        standby: false,
        performance_standby: false,
        replication_performance_mode: 'disabled',
        replication_dr_mode: 'disabled',
        server_time_utc: expect.any(Number),
        version: expect.stringMatching(/^\d+\.\d+\.\d+\+hush\./),
        cluster_name: 'hush',
      });
      expect(Math.abs(health.server_time_utc - Date.now() / 1000)).toBeLessThan(60);
    });

    it('takes Vault’s status overrides on GET and HEAD alike; the standby and sealed ones do not apply', async () => {
      for (const method of ['GET', 'HEAD']) {
        expect((await rawVault(v, method, 'sys/health')).status).toBe(200);
        expect((await rawVault(v, method, 'sys/health?activecode=299')).status).toBe(299);
        const notActive = 'sys/health?standbycode=503&sealedcode=500&uninitcode=500&standbyok=true';
        expect((await rawVault(v, method, notActive)).status).toBe(200);
      }
      const head = await rawVault(v, 'HEAD', 'sys/health?activecode=204');
      expect(head.text).toBe('');
    });

    it('refuses a malformed override with a 400 in Vault’s shape', async () => {
      const res = await rawVault(v, 'GET', 'sys/health?activecode=abc');
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ errors: [expect.stringMatching(/activecode/)] });
      expect((await rawVault(v, 'GET', 'sys/health?standbyok=maybe')).status).toBe(400);
    });
  });

  describe('the KV preflight', () => {
    it.each(['sys/internal/ui/mounts', 'sys/mounts-all'])(
      '%s/<path> says secret/ is KV version 2, to any valid token',
      async (prefix) => {
        const { login: signedIn, client } = await vaultUser(v, `pre${prefix.length}${backend}`);
        const mount = await client.read(`${prefix}/secret/apps/billing`);
        expect(Object.keys(mount).sort()).toEqual(ENVELOPE_KEYS);
        expect(mount.data).toMatchObject({ path: 'secret/', type: 'kv', options: { version: '2' } });
        const top = await rawVault(v, 'GET', `${prefix}/secret`, { token: signedIn.auth.client_token });
        expect(top.json<{ data: { path: string } }>().data.path).toBe('secret/');
        // Another mount is refused as Vault refuses one no policy reaches (a 404 would mean KV v1).
        await expectVaultError(client.read(`${prefix}/kv/apps/billing`), 403, 'permission denied');
        await expectVaultError(v.client().read(`${prefix}/secret/apps`), 403, 'permission denied');
      },
    );
  });

  describe('userpass login and the token routes', () => {
    it('signs in with node-vault’s userpassLogin and answers Vault’s auth block; node-vault keeps the token', async () => {
      const { client, login: signedIn } = await vaultUser(v, `ada-${backend}`);
      expect(Object.keys(signedIn).sort()).toEqual(ENVELOPE_KEYS);
      expect(signedIn).toMatchObject({ data: null, lease_id: '', renewable: false, wrap_info: null });
      expect(signedIn.auth).toEqual({
        client_token: expect.stringMatching(/\S{20,}/),
        accessor: expect.any(String),
        policies: ['default', 'user'],
        token_policies: ['default', 'user'],
        metadata: { username: `ada-${backend}` },
        lease_duration: expect.any(Number),
        renewable: true,
        entity_id: '',
        token_type: 'service',
        orphan: true,
        num_uses: 0,
        mfa_requirement: null,
      });
      expect(client.token).toBe(signedIn.auth.client_token);
      // The token is a hush access token: the native API takes it too.
      const native = await v.f.hush.app.inject({
        url: '/api/v1/token/lookup-self',
        headers: { authorization: `Bearer ${signedIn.auth.client_token}` },
      });
      expect(native.json()).toMatchObject({ session_id: signedIn.auth.accessor, user: { role: 'user' } });
    });

    it('refuses a wrong password with a 400 and does not name the account', async () => {
      await v.f.hush.users.create({
        username: `bea-${backend}`,
        role: 'user',
        password: 'bea password 0123456789',
      });
      const error = await expectVaultError(
        v.client().userpassLogin({ username: `bea-${backend}`, password: 'wrong password 0123' }),
        400,
      );
      expect(JSON.stringify(error.response.body)).not.toContain('wrong password');
      await expectVaultError(
        v.client().userpassLogin({ username: 'nobody', password: 'wrong password 0123' }),
        400,
      );
    });

    it('lookup-self answers Vault’s fields, with the token as id and its session as accessor', async () => {
      const { client, login: signedIn } = await vaultUser(v, `cy-${backend}`);
      const before = Math.floor(Date.now() / 1000);
      const self = await client.tokenLookupSelf();
      expect(Object.keys(self).sort()).toEqual(ENVELOPE_KEYS);
      expect(Object.keys(self.data).sort()).toEqual([
        'accessor',
        'creation_time',
        'creation_ttl',
        'display_name',
        'entity_id',
        'expire_time',
        'explicit_max_ttl',
        'id',
        'issue_time',
        'meta',
        'num_uses',
        'orphan',
        'path',
        'policies',
        'renewable',
        'ttl',
        'type',
      ]);
      const data = self.data;
      expect(data).toMatchObject({
        id: signedIn.auth.client_token,
        accessor: signedIn.auth.accessor,
        display_name: `userpass-cy-${backend}`,
        entity_id: '',
        meta: { username: `cy-${backend}` },
        num_uses: 0,
        orphan: true,
        path: `auth/userpass/login/cy-${backend}`,
        policies: ['default', 'user'],
        renewable: true,
        type: 'service',
      });
      expect(Math.abs(data.creation_time - before)).toBeLessThan(30);
      expect(data.ttl).toBeGreaterThan(0);
      expect(data.ttl).toBeLessThanOrEqual(data.creation_ttl);
      expect(Date.parse(data.expire_time) - Date.now()).toBeGreaterThan(0);
      expect(Date.parse(data.issue_time) / 1000 - data.creation_time).toBeLessThan(1);
      expect(data.explicit_max_ttl).toBeGreaterThanOrEqual(data.creation_ttl);
      expect(self.request_id).toEqual(expect.any(String));
    });

    it('lookup-self of an admin names the admin role; Authorization: Bearer works as X-Vault-Token does', async () => {
      const admin = await login(v.f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD);
      const res = await rawVault(v, 'GET', 'auth/token/lookup-self', {
        headers: { authorization: `Bearer ${admin.access_token}` },
      });
      expect(res.status).toBe(200);
      const body = res.json<{ request_id: string; data: { policies: string[]; id: string } }>();
      expect(body.data.policies).toEqual(['default', 'admin']);
      expect(body.data.id).toBe(admin.access_token);
      expect(body.request_id).toBe(res.headers['x-request-id']);
    });

    it('lookup-self of a counted token answers the uses left after it, as Vault does', async () => {
      await v.f.hush.users.create({
        username: `dee-${backend}`,
        role: 'user',
        password: 'dee password 0123456789',
      });
      const counted = await login(v.f.hush.app, `dee-${backend}`, 'dee password 0123456789', { max_uses: 3 });
      const self = await v.client(counted.access_token).tokenLookupSelf();
      expect(self.data).toMatchObject({ num_uses: 2, renewable: false });
    });

    it('revoke-self ends the token at once: 204, then 403 permission denied', async () => {
      const { client, login: signedIn } = await vaultUser(v, `eve-${backend}`);
      const revoked = await rawVault(v, 'POST', 'auth/token/revoke-self', {
        token: signedIn.auth.client_token,
      });
      expect(revoked.status).toBe(204);
      expect(revoked.text).toBe('');
      await expectVaultError(client.tokenLookupSelf(), 403, 'permission denied');
      // node-vault's own call (a POST with {}) on a live token.
      const other = await vaultUser(v, `eve2-${backend}`);
      await other.client.tokenRevokeSelf();
      await expectVaultError(other.client.tokenLookupSelf(), 403);
    });
  });
});
