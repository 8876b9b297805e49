import type nodeVault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './helpers/hush-fixture.js';
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
 * Vault's AppRole over hush's machine identities, through the real node-vault client, on SQLite
 * and PostgreSQL: role administration (admins only), role-id, secret-id issue / list / destroy,
 * login with counted secret_id uses (raced), and the machine's tokens under its path policies.
 */
const BACKENDS: readonly NodeStorage[] = ['sqlite', 'postgres'];

describe.each(BACKENDS)('Vault AppRole at /v1/auth/approle (%s)', (backend) => {
  let v: VaultHush;
  let admin: nodeVault.client;
  let adminToken: string;
  beforeAll(async () => {
    v = await startVaultHush(backend);
    admin = v.client();
    adminToken = (await admin.userpassLogin({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD })).auth
      .client_token;
  });
  afterAll(() => v?.close());

  const roleIdOf = async (role: string) =>
    (await admin.getApproleRoleId({ role_name: role })).data.role_id as string;
  const secretIdOf = async (role: string, extra: Record<string, unknown> = {}) =>
    (await admin.getApproleRoleSecret({ role_name: role, ...extra })).data as {
      secret_id: string;
      secret_id_accessor: string;
      secret_id_ttl: number;
      secret_id_num_uses: number;
    };

  it('creates a role with node-vault’s addApproleRole, reads it back, and updates it', async () => {
    await admin.addApproleRole({
      role_name: 'ci',
      token_ttl: 600,
      token_max_ttl: 3600,
      secret_id_num_uses: 2,
    });
    const role = await admin.getApproleRole({ role_name: 'ci' });
    expect(Object.keys(role).sort()).toEqual(ENVELOPE_KEYS);
    expect(role.data).toMatchObject({
      bind_secret_id: true,
      token_ttl: 600,
      token_max_ttl: 3600,
      token_num_uses: 0,
      secret_id_num_uses: 2,
      secret_id_ttl: 0,
      secret_id_bound_cidrs: [],
      token_bound_cidrs: [],
      token_policies: [],
      token_type: 'default',
    });
    // Writes take Go durations too, and PUT without a Content-Type as the vault CLI sends.
    const put = await rawVault(v, 'PUT', 'auth/approle/role/ci', {
      token: adminToken,
      body: JSON.stringify({ token_ttl: '15m', secret_id_ttl: '1h' }),
    });
    expect(put.status, put.text).toBe(204);
    expect((await admin.getApproleRole({ role_name: 'ci' })).data).toMatchObject({
      token_ttl: 900,
      secret_id_ttl: 3600,
      secret_id_num_uses: 2,
    });
  });

  it('takes token_policies with a warning (hush’s path policies apply), and refuses what it cannot do', async () => {
    const res = await rawVault(v, 'POST', 'auth/approle/role/warned', {
      token: adminToken,
      body: JSON.stringify({ token_policies: ['app-read'] }),
    });
    expect(res.status).toBe(200);
    expect(res.json<{ warnings: string[] }>().warnings).toEqual([expect.stringMatching(/token_policies/)]);
    for (const body of [
      { bind_secret_id: false },
      { period: '1h' },
      { token_type: 'batch' },
      { token_ttl: 'soon' },
    ]) {
      const refused = await rawVault(v, 'POST', 'auth/approle/role/refused', {
        token: adminToken,
        body: JSON.stringify(body),
      });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json()).toEqual({ errors: [expect.any(String)] });
    }
    await expectVaultError(admin.getApproleRole({ role_name: 'refused' }), 404);
  });

  it('issues a secret_id (metadata as Vault’s JSON text) and signs in with approleLogin', async () => {
    const roleId = await roleIdOf('ci');
    expect(roleId).toEqual(expect.any(String));
    const issued = await secretIdOf('ci', { metadata: '{"env":"ci"}' });
    expect(issued).toEqual({
      secret_id: expect.any(String),
      secret_id_accessor: expect.any(String),
      secret_id_ttl: 3600,
      secret_id_num_uses: 2,
    });
    const machine = v.client();
    const signedIn = await machine.approleLogin({ role_id: roleId, secret_id: issued.secret_id });
    expect(signedIn.auth).toMatchObject({
      policies: ['default', 'user'],
      metadata: { role_name: 'ci' },
      token_type: 'service',
      num_uses: 0,
    });
    expect(signedIn.auth.lease_duration).toBeLessThanOrEqual(900);
    expect(machine.token).toBe(signedIn.auth.client_token);
    const self = await machine.tokenLookupSelf();
    expect(self.data).toMatchObject({
      display_name: 'approle',
      meta: { role_name: 'ci' },
      path: 'auth/approle/login',
      id: signedIn.auth.client_token,
    });
  });

  it('counts secret_id uses exactly under concurrent logins; every failure is the same 400', async () => {
    await admin.addApproleRole({ role_name: 'once', secret_id_num_uses: 1 });
    const roleId = await roleIdOf('once');
    const { secret_id } = await secretIdOf('once');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => v.client().approleLogin({ role_id: roleId, secret_id })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const messages = new Set<string>();
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      expect(r.reason.response.statusCode).toBe(400);
      messages.add(r.reason.message);
    }
    await v
      .client()
      .approleLogin({ role_id: 'no-such-role-id', secret_id })
      .catch((error: { message: string; response: { statusCode: number } }) => {
        expect(error.response.statusCode).toBe(400);
        messages.add(error.message);
      });
    expect(messages.size).toBe(1);
    await expectVaultError(v.client().approleLogin({ role_id: roleId }), 400, /secret_id/);
  });

  it('lists accessors with GET ?list=true and destroys a secret_id by accessor', async () => {
    await admin.addApproleRole({ role_name: 'lister' });
    const one = await secretIdOf('lister');
    const two = await secretIdOf('lister');
    // node-vault's approleSecretAccessors sends the LIST method, which Node refuses: list() is GET ?list=1.
    const listed = await admin.list('auth/approle/role/lister/secret-id');
    expect([...listed.data.keys].sort()).toEqual([one.secret_id_accessor, two.secret_id_accessor].sort());
    expect(JSON.stringify(listed)).not.toContain(one.secret_id);
    await admin.approleSecretAccessorDestroy({
      role_name: 'lister',
      secret_id_accessor: one.secret_id_accessor,
    });
    await expectVaultError(
      v.client().approleLogin({ role_id: await roleIdOf('lister'), secret_id: one.secret_id }),
      400,
    );
    await admin.approleSecretAccessorDestroy({
      role_name: 'lister',
      secret_id_accessor: two.secret_id_accessor,
    });
    const empty = await rawVault(v, 'GET', 'auth/approle/role/lister/secret-id?list=true', {
      token: adminToken,
    });
    expect(empty.status).toBe(404);
    expect(empty.json()).toEqual({ errors: [] });
  });

  it('a machine token reads what the machine’s path policies allow, as a user token would', async () => {
    await admin.addApproleRole({ role_name: 'reader' });
    const by = { actor: { kind: 'user', id: 'u-admin', name: ADMIN_USERNAME } } as const;
    await v.f.hush.policies.create(
      { subjectType: 'machine', subject: 'reader', path: 'svc/reader/**', capabilities: ['read'] },
      by,
    );
    await admin.write('secret/data/svc/reader/db', { data: { pw: 'r' } });
    await admin.write('secret/data/svc/other/db', { data: { pw: 'o' } });
    const machine = v.client();
    await machine.approleLogin({
      role_id: await roleIdOf('reader'),
      secret_id: (await secretIdOf('reader')).secret_id,
    });
    expect((await machine.read('secret/data/svc/reader/db')).data.data).toEqual({ pw: 'r' });
    await expectVaultError(machine.read('secret/data/svc/other/db'), 404);
    // Deleting the role ends its tokens at once; deleting it again is no error, as in Vault.
    await admin.deleteApproleRole({ role_name: 'reader' });
    await expectVaultError(machine.tokenLookupSelf(), 403, 'permission denied');
    await admin.deleteApproleRole({ role_name: 'reader' });
    await expectVaultError(admin.getApproleRole({ role_name: 'reader' }), 404);
  });

  it('role administration is for admins: a user’s token gets 403 permission denied', async () => {
    const { client } = await vaultUser(v, `approle-user-${backend}`);
    await expectVaultError(client.addApproleRole({ role_name: 'mine' }), 403, 'permission denied');
    await expectVaultError(client.getApproleRoleId({ role_name: 'ci' }), 403, 'permission denied');
    await expectVaultError(client.getApproleRoleSecret({ role_name: 'ci' }), 403, 'permission denied');
    await expectVaultError(v.client().getApproleRole({ role_name: 'ci' }), 403, 'permission denied');
  });
});
