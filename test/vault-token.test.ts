import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './helpers/hush-fixture.js';
import type { NodeStorage } from './helpers/node-storage.js';
import {
  expectVaultError,
  rawVault,
  startVaultHush,
  type VaultHush,
  vaultUser,
} from './helpers/vault-server.js';

/**
 * Vault's token renew-self and create through the real node-vault client, on SQLite and
 * PostgreSQL: renewal extends the caller's own token; a created token carries at most the
 * creator's rights, with the ttl and num_uses asked for, and what hush cannot give is refused.
 */
const BACKENDS: readonly NodeStorage[] = ['sqlite', 'postgres'];

const nativeSelf = async (v: VaultHush, token: string) =>
  (await v.f.hush.app.inject({ url: '/api/v1/token/lookup-self', headers: bearer(token) })).json<{
    scopes: string[];
    user: { username: string; role: string };
    uses_left: number | null;
  }>();

describe.each(BACKENDS)('Vault token renew-self and create (%s)', (backend) => {
  let v: VaultHush;
  beforeAll(async () => {
    v = await startVaultHush(backend);
  });
  afterAll(() => v?.close());

  it('renew-self keeps the token and extends its lifetime, answering Vault’s auth block', async () => {
    const { client, login } = await vaultUser(v, `ren-${backend}`);
    const before = await client.tokenLookupSelf();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const renewed = await client.tokenRenewSelf();
    expect(renewed.data).toBeNull();
    expect(renewed.auth).toMatchObject({
      client_token: login.auth.client_token,
      accessor: login.auth.accessor,
      policies: ['default', 'user'],
      renewable: true,
      token_type: 'service',
    });
    const after = await client.tokenLookupSelf();
    expect(Date.parse(after.data.expire_time)).toBeGreaterThan(Date.parse(before.data.expire_time));
    expect(Math.abs(after.data.ttl - renewed.auth.lease_duration)).toBeLessThanOrEqual(2);
    // An increment in Go's notation or seconds, as Vault takes it.
    const short = await client.tokenRenewSelf({ increment: '2m' });
    expect(short.auth.lease_duration).toBeLessThanOrEqual(120);
    await expectVaultError(client.tokenRenewSelf({ increment: 'later' }), 400, /increment/);
  });

  it('create makes a new token within the caller’s rights, with ttl and num_uses', async () => {
    const { client, login } = await vaultUser(v, `mk-${backend}`);
    const created = await client.tokenCreate({ ttl: '10m', num_uses: 3, display_name: 'ci' });
    expect(created.data).toBeNull();
    expect(created.auth).toMatchObject({
      policies: ['default', 'user'],
      token_type: 'service',
      num_uses: 3,
      renewable: false,
    });
    expect(created.auth.client_token).not.toBe(login.auth.client_token);
    expect(created.auth.lease_duration).toBeGreaterThan(590);
    expect(created.auth.lease_duration).toBeLessThanOrEqual(600);
    // node-vault switched to the new token (tokenCreate is a token source).
    expect(client.token).toBe(created.auth.client_token);
    const self = await client.tokenLookupSelf();
    expect(self.data).toMatchObject({ num_uses: 2 });
    expect(self.data.ttl).toBeLessThanOrEqual(600);
    const native = await nativeSelf(v, created.auth.client_token);
    expect(native.user).toMatchObject({ username: `mk-${backend}`, role: 'user' });
    expect(native.scopes).not.toContain('admin');
  });

  it('a token created from a read-only token is read-only too', async () => {
    await vaultUser(v, `ro-${backend}`);
    const password = `ro-${backend} password 0123456789`;
    const res = await v.f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      payload: { grant_type: 'password', username: `ro-${backend}`, password, scope: 'secrets:read' },
    });
    const readOnly = res.json<{ access_token: string }>().access_token;
    const created = await v.client(readOnly).tokenCreate({ ttl: '5m' });
    expect((await nativeSelf(v, created.auth.client_token)).scopes).toEqual(['secrets:read']);
  });

  it('takes the Go client’s body (PUT, no Content-Type, empty fields)', async () => {
    const { login } = await vaultUser(v, `go-${backend}`);
    const res = await rawVault(v, 'PUT', 'auth/token/create', {
      token: login.auth.client_token,
      body: JSON.stringify({ ttl: '1h', display_name: '', num_uses: 0, type: '', entity_alias: '' }),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json<{ auth: { lease_duration: number } }>().auth.lease_duration).toBeLessThanOrEqual(3600);
  });

  it.each([
    [{ policies: ['root'] }, /policies/i],
    [{ id: 'my-own-token-id' }, /token id/],
    [{ period: '1h' }, /periodic/],
    [{ explicit_max_ttl: '2h' }, /explicit_max_ttl/],
    [{ renewable: false }, /renewed/],
    [{ type: 'batch' }, /type/],
  ])('refuses %j rather than hand out another token than the one asked for', async (body, message) => {
    const { login } = await vaultUser(v, `no${Object.keys(body)[0]}-${backend}`);
    const res = await rawVault(v, 'POST', 'auth/token/create', {
      token: login.auth.client_token,
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(res.json<{ errors: string[] }>().errors[0]).toMatch(message);
  });

  it('takes the caller’s own policy names, and creating needs a valid token', async () => {
    const { client } = await vaultUser(v, `own-${backend}`);
    const created = await client.tokenCreate({ policies: ['default', 'user'] });
    expect(created.auth.policies).toEqual(['default', 'user']);
    await expectVaultError(v.client().tokenCreate({ ttl: '1m' }), 403, 'permission denied');
  });
});
