import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_USERNAME, bearer, login } from './helpers/hush-fixture.js';
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

  /** How many sessions a principal has, seen through a fresh token of its own. */
  const sessionsOf = async (token: string) =>
    (await v.f.hush.tokens.listSessions(await v.f.hush.tokens.authenticate(token, '127.0.0.1'))).length;

  it('refuses to create from a one-use token, as Vault does, and no child exists', async () => {
    const { password } = await vaultUser(v, `once-${backend}`);
    const one = await login(v.f.hush.app, `once-${backend}`, password, { max_uses: 1 });
    const before = await sessionsOf((await login(v.f.hush.app, `once-${backend}`, password)).access_token);
    const refused = await expectVaultError(v.client(one.access_token).tokenCreate({}), 400);
    expect(refused.response.body).toEqual({
      errors: [expect.stringMatching(/^restricted use token cannot generate child tokens/)],
    });
    // The raw body a Go client sends, and a counted child asked for: refused alike.
    const again = await login(v.f.hush.app, `once-${backend}`, password, { max_uses: 5 });
    const res = await rawVault(v, 'POST', 'auth/token/create', {
      token: again.access_token,
      body: JSON.stringify({ num_uses: 1 }),
    });
    expect(res.status).toBe(400);
    const after = await sessionsOf((await login(v.f.hush.app, `once-${backend}`, password)).access_token);
    expect(after).toBe(before + 2); // the second counted sign-in and this one; no child
  });

  it('refuses to create from a machine token with token_num_uses 1; no child exists', async () => {
    const admin = v.client();
    await admin.userpassLogin({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD });
    const role = `one-use-${backend}`;
    await admin.addApproleRole({ role_name: role, token_num_uses: 1 });
    const roleId = (await admin.getApproleRoleId({ role_name: role })).data.role_id as string;
    const signIn = async () => {
      const secretId = (await admin.getApproleRoleSecret({ role_name: role })).data.secret_id as string;
      const machine = v.client();
      const signedIn = await machine.approleLogin({ role_id: roleId, secret_id: secretId });
      expect(signedIn.auth).toMatchObject({ num_uses: 1, renewable: false });
      return { machine, token: signedIn.auth.client_token as string };
    };
    const { machine } = await signIn();
    await expectVaultError(machine.tokenCreate({}), 400, /restricted use token/);
    // Its one use is spent on the refused request, as in Vault.
    await expectVaultError(machine.tokenLookupSelf(), 403, 'permission denied');
    expect(await sessionsOf((await signIn()).token)).toBe(2); // the two sign-ins, no child
  });

  it('a counted child is not renewable: no refresh token, renewable false, renew-self refused', async () => {
    const { client } = await vaultUser(v, `cnt-${backend}`);
    const created = await client.tokenCreate({ num_uses: 3 });
    expect(created.auth).toMatchObject({ num_uses: 3, renewable: false });
    expect((await client.tokenLookupSelf()).data).toMatchObject({ num_uses: 2, renewable: false });
    await expectVaultError(client.tokenRenewSelf(), 400, /not renewable/);
    // An uncounted caller's child is renewable, within the caller's session.
    const { client: free } = await vaultUser(v, `free-${backend}`);
    const caller = await free.tokenLookupSelf();
    const child = await free.tokenCreate({ ttl: '1000h' });
    expect(child.auth).toMatchObject({ num_uses: 0, renewable: true });
    expect(child.auth.lease_duration).toBeLessThanOrEqual(caller.data.explicit_max_ttl);
  });
});
