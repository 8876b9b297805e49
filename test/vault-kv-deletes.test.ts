import type nodeVault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_USERNAME, bearer } from './helpers/hush-fixture.js';
import type { NodeStorage } from './helpers/node-storage.js';
import {
  expectVaultError,
  rawVault,
  startVaultHush,
  type VaultHush,
  vaultUser,
} from './helpers/vault-server.js';

/**
 * KV version 2's deletes under `secret/` through the real node-vault client, on SQLite and
 * PostgreSQL: soft delete, undelete, destroy, erasing the metadata; what is not there (or not
 * readable) is a 204 as in Vault; undelete and delete_version_after. The rest: vault-kv.test.ts.
 */
const BACKENDS: readonly NodeStorage[] = ['sqlite', 'postgres'];

interface VersionMeta {
  deletion_time: string;
  destroyed: boolean;
  version: number;
}

describe.each(BACKENDS)('Vault KV v2 deletes at /v1/secret (%s)', (backend) => {
  let v: VaultHush;
  let admin: nodeVault.client;
  let adminToken: string;
  beforeAll(async () => {
    v = await startVaultHush(backend);
    admin = v.client();
    const signedIn = await admin.userpassLogin({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD });
    adminToken = signedIn.auth.client_token;
  });
  afterAll(() => v?.close());

  const readRaw = (path: string, token = adminToken) => rawVault(v, 'GET', path, { token });

  it('DELETE soft-deletes the latest; a deleted version is a 404 carrying its metadata; undelete restores', async () => {
    await admin.write('secret/data/apps/del', { data: { v: '1' } });
    await admin.write('secret/data/apps/del', { data: { v: '2' } });
    await admin.delete('secret/data/apps/del');
    const gone = await readRaw('secret/data/apps/del');
    expect(gone.status).toBe(404);
    const body = gone.json<{ data: { data: null; metadata: VersionMeta } }>();
    expect(body.data.data).toBeNull();
    expect(body.data.metadata).toMatchObject({ version: 2, destroyed: false });
    expect(Date.parse(body.data.metadata.deletion_time)).toBeLessThanOrEqual(Date.now());
    expect((await admin.read('secret/data/apps/del?version=1')).data.data).toEqual({ v: '1' });

    await admin.write('secret/undelete/apps/del', { versions: [2] });
    expect((await admin.read('secret/data/apps/del')).data.data).toEqual({ v: '2' });
  });

  it('delete/ and destroy/ take version lists as numbers or text (the vault CLI sends text)', async () => {
    for (const n of ['1', '2', '3']) await admin.write('secret/data/apps/ver', { data: { n } });
    await admin.write('secret/delete/apps/ver', { versions: ['1', 2] });
    for (const version of [1, 2]) {
      const deleted = await readRaw(`secret/data/apps/ver?version=${version}`);
      expect(deleted.status).toBe(404);
      expect(deleted.json<{ data: { metadata: VersionMeta } }>().data.metadata.deletion_time).not.toBe('');
    }
    expect((await admin.read('secret/data/apps/ver?version=3')).data.data).toEqual({ n: '3' });
    await admin.write('secret/destroy/apps/ver', { versions: [1] });
    const destroyed = await readRaw('secret/data/apps/ver?version=1');
    expect(destroyed.json<{ data: { metadata: VersionMeta } }>().data.metadata.destroyed).toBe(true);
    await admin.write('secret/undelete/apps/ver', { versions: [1, 2] });
    // Destroyed stays destroyed: undelete brings back only what still has its data.
    const stillDestroyed = await readRaw('secret/data/apps/ver?version=1');
    expect(stillDestroyed.status).toBe(404);
    expect(stillDestroyed.json<{ data: { metadata: VersionMeta } }>().data.metadata.destroyed).toBe(true);
    expect((await admin.read('secret/data/apps/ver?version=2')).data.data).toEqual({ n: '2' });
    await expectVaultError(admin.write('secret/delete/apps/ver', { versions: [] }), 400, /no version/);
  });

  it('metadata DELETE erases the secret and every version', async () => {
    await admin.write('secret/data/apps/erase', { data: { x: '1' } });
    await admin.delete('secret/metadata/apps/erase');
    await expectVaultError(admin.read('secret/data/apps/erase'), 404);
    await expectVaultError(admin.read('secret/metadata/apps/erase'), 404);
  });

  it('deleting what is not there, or not readable, is a 204 as in Vault; readable without delete is a 403', async () => {
    const removals = (name: string) =>
      [
        ['DELETE', `secret/data/${name}`, undefined],
        ['DELETE', `secret/metadata/${name}`, undefined],
        ['POST', `secret/delete/${name}`, { versions: [1] }],
        ['POST', `secret/undelete/${name}`, { versions: [1] }],
        ['POST', `secret/destroy/${name}`, { versions: [1] }],
      ] as const;
    const send = (token: string, [method, path, body]: ReturnType<typeof removals>[number]) =>
      rawVault(v, method, path, { token, ...(body && { body: JSON.stringify(body) }) });
    for (const removal of removals('apps/never-written')) {
      const res = await send(adminToken, removal);
      expect([res.status, res.text], removal[1]).toEqual([204, '']);
    }
    // node-vault's own calls resolve too.
    await admin.delete('secret/data/apps/never-written');
    await admin.write('secret/destroy/apps/never-written', { versions: [1] });

    const name = `deleter-${backend}`;
    const { login: signedIn } = await vaultUser(v, name);
    const token = signedIn.auth.client_token;
    const by = { actor: { kind: 'user', id: 'u-admin', name: ADMIN_USERNAME } } as const;
    const rights = { subjectType: 'user', subject: name, capabilities: ['read', 'update'] } as const;
    await v.f.hush.policies.create({ ...rights, path: `keep/${name}` }, by);
    await admin.write(`secret/data/hidden/${name}`, { data: { a: '1' } });
    await admin.write(`secret/data/keep/${name}`, { data: { a: '1' } });
    for (const removal of removals(`hidden/${name}`)) {
      expect((await send(token, removal)).status, removal[1]).toBe(204);
    }
    for (const removal of removals(`keep/${name}`)) {
      // Undelete needs `update`, which this caller has; the others need `delete`.
      const expected = removal[1].startsWith('secret/undelete/') ? 204 : 403;
      expect((await send(token, removal)).status, removal[1]).toBe(expected);
    }
    // Nothing was deleted by any of them.
    for (const kept of [`hidden/${name}`, `keep/${name}`]) {
      expect((await admin.read(`secret/data/${kept}`)).data.data).toEqual({ a: '1' });
    }
    // The native API still says 404 for a secret that is not there.
    const native = await v.f.hush.app.inject({
      method: 'DELETE',
      url: '/api/v1/kv/metadata/apps/never-written',
      headers: bearer(adminToken),
    });
    expect(native.statusCode).toBe(404);
  });

  it('undelete of a version delete_version_after deletes is a 400 saying so; lifting the rule brings it back', async () => {
    await admin.write('secret/data/apps/ruled', { data: { a: '1' } });
    await admin.write('secret/metadata/apps/ruled', { delete_version_after: '1s' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await readRaw('secret/data/apps/ruled')).status).toBe(404);
    await expectVaultError(
      admin.write('secret/undelete/apps/ruled', { versions: [1] }),
      400,
      /delete_version_after/,
    );
    await admin.write('secret/metadata/apps/ruled', { delete_version_after: '0s' });
    expect((await admin.read('secret/data/apps/ruled')).data.data).toEqual({ a: '1' });
  });
});
