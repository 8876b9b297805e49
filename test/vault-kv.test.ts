import type nodeVault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_USERNAME, bearer, login } from './helpers/hush-fixture.js';
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
 * KV version 2 under `secret/` through the real node-vault client (and raw requests shaped as the
 * Go client sends them), on SQLite and PostgreSQL: data (versions, check-and-set, merge patch),
 * metadata (read, write, patch, list), policies and scopes; deletes are vault-kv-deletes.test.ts.
 * `secret/data/<name>` is the hush secret `<name>`, the same one /api/v1/kv serves.
 */
const BACKENDS: readonly NodeStorage[] = ['sqlite', 'postgres'];

describe.each(BACKENDS)('Vault KV v2 at /v1/secret (%s)', (backend) => {
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

  it('writes versions and reads them back in Vault’s envelope, the latest or by ?version=', async () => {
    const first = await admin.write('secret/data/apps/one', { data: { password: 'p1', user: 'u1' } });
    expect(Object.keys(first).sort()).toEqual(ENVELOPE_KEYS);
    expect(first.data).toEqual({
      created_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      custom_metadata: null,
      deletion_time: '',
      destroyed: false,
      version: 1,
    });
    const second = await admin.write('secret/data/apps/one', { data: { password: 'p2' } });
    expect(second.data.version).toBe(2);

    const latest = await admin.read('secret/data/apps/one');
    expect(Object.keys(latest).sort()).toEqual(ENVELOPE_KEYS);
    expect(latest).toMatchObject({ lease_id: '', lease_duration: 0, renewable: false, auth: null });
    expect(latest.data.data).toEqual({ password: 'p2' });
    expect(latest.data.metadata).toEqual({ ...second.data, custom_metadata: null });
    const old = await admin.read('secret/data/apps/one?version=1');
    expect(old.data.data).toEqual({ password: 'p1', user: 'u1' });
    expect((await admin.read('secret/data/apps/one?version=0')).data.metadata.version).toBe(2);

    // The same secret through the native API.
    const native = await v.f.hush.app.inject({
      url: '/api/v1/kv/data/apps/one',
      headers: bearer(adminToken),
    });
    expect(native.json()).toMatchObject({ name: 'apps/one', version: 2, data: { password: 'p2' } });
  });

  it('a missing secret or version is 404 {"errors":[]}, which the Go client reads as no value', async () => {
    const missing = await readRaw('secret/data/apps/never-written');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ errors: [] });
    await expectVaultError(admin.read('secret/data/apps/one?version=99'), 404);
  });

  it('check-and-set: cas 0 only creates, cas N only over version N, a mismatch is a 400', async () => {
    await admin.write('secret/data/apps/cas', { data: { a: '1' }, options: { cas: 0 } });
    await expectVaultError(
      admin.write('secret/data/apps/cas', { data: { a: 'x' }, options: { cas: 0 } }),
      400,
    );
    await expectVaultError(
      admin.write('secret/data/apps/cas', { data: { a: 'x' }, options: { cas: 5 } }),
      400,
    );
    const next = await admin.write('secret/data/apps/cas', { data: { a: '2' }, options: { cas: 1 } });
    expect(next.data.version).toBe(2);
  });

  it('of concurrent writes with the same cas, exactly one wins; the others are 400s', async () => {
    await admin.write('secret/data/apps/race', { data: { n: '0' } });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        admin.write('secret/data/apps/race', { data: { n: String(i) }, options: { cas: 1 } }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason.response.statusCode).toBe(400);
    }
    expect((await admin.read('secret/data/apps/race')).data.metadata.version).toBe(2);
  });

  it('PATCH merges (null removes a key) with node-vault’s update(); it needs a merge patch and a live secret', async () => {
    await admin.write('secret/data/apps/patch', { data: { keep: 'k', drop: 'd' } });
    const patched = await admin.update('secret/data/apps/patch', { data: { drop: null, add: 'a' } });
    expect(patched.data.version).toBe(2);
    expect((await admin.read('secret/data/apps/patch')).data.data).toEqual({ keep: 'k', add: 'a' });
    const json = await rawVault(v, 'PATCH', 'secret/data/apps/patch', {
      token: adminToken,
      body: JSON.stringify({ data: { add: 'b' } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(415);
    expect(json.json()).toEqual({ errors: [expect.stringMatching(/merge-patch/)] });
    await expectVaultError(admin.update('secret/data/apps/no-such', { data: { a: 'b' } }), 404);
    await expectVaultError(
      admin.update('secret/data/apps/patch', { data: { add: 'c' }, options: { cas: 1 } }),
      400,
    );
  });

  it('metadata: read, write (durations as Go strings or seconds), patch custom_metadata, and cas_required', async () => {
    await admin.write('secret/data/apps/meta', { data: { a: '1' } });
    await admin.write('secret/data/apps/meta', { data: { a: '2' } });
    const meta = await admin.read('secret/metadata/apps/meta');
    expect(Object.keys(meta).sort()).toEqual(ENVELOPE_KEYS);
    expect(meta.data).toEqual({
      cas_required: false,
      created_time: expect.any(String),
      current_version: 2,
      custom_metadata: null,
      delete_version_after: '0s',
      max_versions: expect.any(Number),
      oldest_version: expect.any(Number),
      updated_time: expect.any(String),
      versions: {
        '1': { created_time: expect.any(String), deletion_time: '', destroyed: false },
        '2': { created_time: expect.any(String), deletion_time: '', destroyed: false },
      },
    });

    await admin.write('secret/metadata/apps/meta', {
      max_versions: 5,
      cas_required: true,
      delete_version_after: '3h',
      custom_metadata: { owner: 'ops', team: 'a' },
    });
    const changed = (await admin.read('secret/metadata/apps/meta')).data;
    expect(changed).toMatchObject({
      max_versions: 5,
      cas_required: true,
      delete_version_after: '3h0m0s',
      custom_metadata: { owner: 'ops', team: 'a' },
    });
    expect((await admin.read('secret/data/apps/meta')).data.metadata.custom_metadata).toEqual({
      owner: 'ops',
      team: 'a',
    });
    await expectVaultError(admin.write('secret/data/apps/meta', { data: { a: '3' } }), 400);
    await admin.write('secret/data/apps/meta', { data: { a: '3' }, options: { cas: 2 } });

    const patch = await rawVault(v, 'PATCH', 'secret/metadata/apps/meta', {
      token: adminToken,
      body: JSON.stringify({ custom_metadata: { team: null, tier: 'gold' }, delete_version_after: 90 }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(patch.status, patch.text).toBe(204);
    const patched = (await admin.read('secret/metadata/apps/meta')).data;
    expect(patched.custom_metadata).toEqual({ owner: 'ops', tier: 'gold' });
    expect(patched.delete_version_after).toBe('1m30s');
    await expectVaultError(admin.write('secret/metadata/apps/meta', { delete_version_after: '3 days' }), 400);
  });

  it('lists one folder level with GET ?list=true (node-vault: ?list=1); folders end in "/", empty is a 404', async () => {
    await admin.write('secret/data/tree/a', { data: { x: '1' } });
    await admin.write('secret/data/tree/sub/b', { data: { x: '1' } });
    const listed = await admin.list('secret/metadata/tree');
    expect(listed.data.keys).toEqual(['a', 'sub/']);
    expect((await admin.list('secret/metadata/tree/')).data.keys).toEqual(['a', 'sub/']);
    const top = await readRaw('secret/metadata?list=true');
    expect(top.json<{ data: { keys: string[] } }>().data.keys).toEqual(
      expect.arrayContaining(['apps/', 'tree/']),
    );
    const empty = await readRaw('secret/metadata/nothing-here/?list=true');
    expect(empty.status).toBe(404);
    expect(empty.json()).toEqual({ errors: [] });
  });

  it('a write from the Go client (PUT, no Content-Type) works as node-vault’s POST does', async () => {
    const put = await rawVault(v, 'PUT', 'secret/data/apps/go', {
      token: adminToken,
      body: JSON.stringify({ data: { k: 'v' }, options: {} }),
    });
    expect(put.status, put.text).toBe(200);
    expect((await admin.read('secret/data/apps/go')).data.data).toEqual({ k: 'v' });
  });

  it('refuses values that are not text, and data over the size setting', async () => {
    // Vault takes any JSON value; hush's values are text: each other kind is a 400 naming the key.
    for (const port of [5432, true, null, { n: '1' }, ['1']]) {
      await expectVaultError(admin.write('secret/data/apps/typed', { data: { port } }), 400, /port/);
    }
    await expectVaultError(admin.read('secret/data/apps/typed'), 404);
    await expectVaultError(admin.write('secret/data/apps/typed', {}), 400, /data/);
    const big = 'x'.repeat(70 * 1024);
    const error = await admin.write('secret/data/apps/big', { data: { big } }).catch((e: unknown) => e);
    expect((error as { response: { statusCode: number } }).response.statusCode).toBe(413);
  });

  it('applies hush’s path policies and token scopes: unreadable is a 404, a read-only token cannot write', async () => {
    const by = { actor: { kind: 'user', id: 'u-admin', name: ADMIN_USERNAME } } as const;
    const name = `kvuser-${backend}`;
    const { client } = await vaultUser(v, name);
    await v.f.hush.policies.create(
      {
        subjectType: 'user',
        subject: name,
        path: `team/${name}/**`,
        capabilities: ['read', 'create', 'update', 'list'],
      },
      by,
    );
    await client.write(`secret/data/team/${name}/db`, { data: { pw: 'x' } });
    expect((await client.read(`secret/data/team/${name}/db`)).data.data).toEqual({ pw: 'x' });
    await admin.write('secret/data/team/other/db', { data: { pw: 'y' } });
    await expectVaultError(client.read('secret/data/team/other/db'), 404);
    // No right at all there: refused (404 where it may not even read, else 403), never written.
    const refused = await client
      .write('secret/data/elsewhere/x', { data: { a: 'b' } })
      .catch((e: unknown) => e);
    expect([403, 404]).toContain((refused as { response: { statusCode: number } }).response.statusCode);
    await expectVaultError(admin.read('secret/data/elsewhere/x'), 404);

    const readOnly = await login(v.f.hush.app, name, `${name} password 0123456789`, {
      scope: 'secrets:read',
    });
    const reader = v.client(readOnly.access_token);
    expect((await reader.read(`secret/data/team/${name}/db`)).data.data).toEqual({ pw: 'x' });
    await expectVaultError(
      reader.write(`secret/data/team/${name}/db`, { data: { pw: 'z' } }),
      403,
      'permission denied',
    );
  });

  it('audits reads and writes through /v1 as the native API does, never with a value', async () => {
    await admin.write('secret/data/apps/audited', { data: { canary: 'vault-canary-0123456789' } });
    await admin.read('secret/data/apps/audited');
    const page = await v.f.hush.audit.list({ type: 'secret.' }, 1, 100);
    expect(page.events.map((event) => event.type)).toEqual(expect.arrayContaining(['secret.read']));
    expect(JSON.stringify(page)).not.toContain('vault-canary-0123456789');
  });
});
