import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type HushFixture, json, makeHush, userSession } from './helpers/hush-fixture.js';

type Headers = Record<string, string>;
interface Written {
  id: string;
  name: string;
  version: number;
  created_at: string;
  created: boolean;
  expires_at: string | null;
}

const CANARY = 'kv-value-canary-5521';

describe('KV routes (/api/v1/kv)', () => {
  let f: HushFixture;
  let admin: Headers;
  let alice: Headers;
  let readOnly: Headers;

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    headers: Headers,
    payload?: object,
  ) => f.hush.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
  const put = (name: string, payload: object, headers = admin) =>
    call('PUT', `/kv/data/${name}`, headers, payload);
  const status = async (res: Promise<{ statusCode: number; body: string }>) => {
    const r = await res;
    return [r.statusCode, r.statusCode >= 400 ? json(r).error : undefined];
  };

  beforeAll(async () => {
    f = await makeHush();
    admin = f.adminAuth;
    alice = bearer((await userSession(f, 'alice')).access_token);
    readOnly = bearer((await userSession(f, 'rita', 'user', { scope: 'secrets:read' })).access_token);
    const by = { actor: { kind: 'user', id: 'u-admin', name: 'admin' } } as const;
    const grant = (
      subject: string,
      path: string,
      capabilities: ('read' | 'list' | 'create' | 'update' | 'delete')[],
    ) => f.hush.policies.create({ subjectType: 'user', subject, path, capabilities }, by);
    await grant('alice', 'team/alice/**', ['read', 'list', 'create', 'update']);
    await grant('alice', 'team/*', ['list']);
    await grant('rita', '**', ['read', 'list']);
  });
  afterAll(() => f?.close());

  it('PUT and POST write versions (cas), GET reads them, with ?version=N', async () => {
    const first = await put('apps/billing/db', {
      data: { user: 'billing', password: CANARY },
      metadata: { env: 'prod' },
    });
    expect(first.statusCode).toBe(200);
    const written = json<Written>(first);
    expect(written).toEqual({
      id: expect.any(String),
      name: 'apps/billing/db',
      version: 1,
      created_at: expect.any(String),
      created: true,
      expires_at: null,
    });
    const second = await call('POST', '/kv/data/apps/billing/db', admin, {
      data: { password: 'two' },
      cas: 1,
      ttl_seconds: 3600,
    });
    expect(json<Written>(second)).toMatchObject({
      version: 2,
      created: false,
      expires_at: expect.any(String),
    });

    const read = await call('GET', '/kv/data/apps/billing/db', admin);
    expect(read.statusCode).toBe(200);
    expect(json(read)).toEqual({
      id: written.id,
      name: 'apps/billing/db',
      data: { password: 'two' },
      metadata: { env: 'prod' },
      version: 2,
      created_at: expect.any(String),
      deleted_at: null,
      destroyed: false,
      custom_metadata: {},
      expires_at: expect.any(String),
    });
    expect(json(await call('GET', '/kv/data/apps/billing/db?version=1', admin))).toMatchObject({
      version: 1,
      data: { user: 'billing', password: CANARY },
    });
    expect(await status(call('GET', '/kv/data/apps/billing/db?version=7', admin))).toEqual([
      404,
      'not_found',
    ]);
    expect(await status(call('GET', '/kv/data/apps/none', admin))).toEqual([404, 'not_found']);
  });

  it('answers 409 cas_mismatch when cas does not hold, and when the secret requires it', async () => {
    await put('apps/cas', { data: { a: '1' }, cas: 0 });
    expect(await status(put('apps/cas', { data: { a: '2' }, cas: 0 }))).toEqual([409, 'cas_mismatch']);
    expect(await status(put('apps/cas', { data: { a: '2' }, cas: 5 }))).toEqual([409, 'cas_mismatch']);
    await call('POST', '/kv/metadata/apps/cas', admin, { cas_required: true });
    expect(await status(put('apps/cas', { data: { a: '2' } }))).toEqual([409, 'cas_mismatch']);
    expect(await status(put('apps/cas', { data: { a: '2' }, cas: 1 }))).toEqual([200, undefined]);
  });

  it('PATCH merges as application/json and application/merge-patch+json', async () => {
    await put('apps/patch', { data: { a: '1', b: '2' } });
    const patched = await call('PATCH', '/kv/data/apps/patch', admin, { data: { b: null, c: '3' } });
    expect(json<Written>(patched)).toMatchObject({ version: 2, created: false });
    const merge = await f.hush.app.inject({
      method: 'PATCH',
      url: '/api/v1/kv/data/apps/patch',
      headers: { ...admin, 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ data: { d: '4' }, cas: 2 }),
    });
    expect(merge.statusCode).toBe(200);
    expect(json(await call('GET', '/kv/data/apps/patch', admin)).data).toEqual({ a: '1', c: '3', d: '4' });
    expect(await status(call('PATCH', '/kv/data/apps/nope', admin, { data: { a: '1' } }))).toEqual([
      404,
      'not_found',
    ]);
    // merge-patch+json is only for the KV routes.
    const elsewhere = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/secrets/create',
      headers: { ...admin, 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ name: 'x/y', value: 'v' }),
    });
    expect(elsewhere.statusCode).toBe(415);
  });

  it('DELETE soft-deletes the latest; delete, undelete and destroy take version lists', async () => {
    for (let i = 1; i <= 3; i += 1) await put('apps/life', { data: { i: String(i) } });
    expect((await call('DELETE', '/kv/data/apps/life', admin)).statusCode).toBe(204);
    expect(await status(call('GET', '/kv/data/apps/life', admin))).toEqual([404, 'version_deleted']);
    expect((await call('POST', '/kv/undelete/apps/life', admin, { versions: [3] })).statusCode).toBe(204);
    expect(json(await call('GET', '/kv/data/apps/life', admin)).data).toEqual({ i: '3' });
    expect((await call('POST', '/kv/delete/apps/life', admin, { versions: [1, 2] })).statusCode).toBe(204);
    expect((await call('POST', '/kv/destroy/apps/life', admin, { versions: [2] })).statusCode).toBe(204);
    expect(await status(call('GET', '/kv/data/apps/life?version=2', admin))).toEqual([
      404,
      'version_destroyed',
    ]);
    expect(await status(call('GET', '/kv/data/apps/life?version=1', admin))).toEqual([
      404,
      'version_deleted',
    ]);
    const meta = json<{ versions: unknown[] }>(await call('GET', '/kv/metadata/apps/life', admin));
    expect(meta.versions).toEqual([
      { version: 1, created_at: expect.any(String), deleted_at: expect.any(String), destroyed: false },
      { version: 2, created_at: expect.any(String), deleted_at: expect.any(String), destroyed: true },
      { version: 3, created_at: expect.any(String), deleted_at: null, destroyed: false },
    ]);
    for (const body of [
      { versions: [] },
      { versions: [0] },
      { versions: ['1'] },
      {},
      { versions: [1], extra: 1 },
    ]) {
      expect(await status(call('POST', '/kv/destroy/apps/life', admin, body)), JSON.stringify(body)).toEqual([
        400,
        'bad_request',
      ]);
    }
    expect(await status(call('POST', '/kv/delete/apps/none', admin, { versions: [1] }))).toEqual([
      404,
      'not_found',
    ]);
  });

  it('GET and POST/PATCH /kv/metadata read and change settings; DELETE erases everything', async () => {
    for (let i = 1; i <= 4; i += 1) await put('apps/meta', { data: { i: String(i) } });
    const changed = await call('POST', '/kv/metadata/apps/meta', admin, {
      max_versions: 2,
      delete_version_after_seconds: 86_400,
      custom_metadata: { team: 'billing' },
    });
    expect(changed.statusCode).toBe(200);
    expect(json(changed)).toEqual({
      id: expect.any(String),
      name: 'apps/meta',
      current_version: 4,
      oldest_version: 3,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      expires_at: null,
      max_versions: 2,
      cas_required: false,
      delete_version_after_seconds: 86_400,
      custom_metadata: { team: 'billing' },
      versions: [
        { version: 3, created_at: expect.any(String), deleted_at: expect.any(String), destroyed: false },
        { version: 4, created_at: expect.any(String), deleted_at: expect.any(String), destroyed: false },
      ],
    });
    const patched = await call('PATCH', '/kv/metadata/apps/meta', admin, { cas_required: true });
    expect(json(patched)).toMatchObject({
      cas_required: true,
      max_versions: 2,
      custom_metadata: { team: 'billing' },
    });
    expect(json(await call('GET', '/kv/data/apps/meta', admin)).custom_metadata).toEqual({ team: 'billing' });
    expect(await status(call('POST', '/kv/metadata/apps/meta', admin, { max_versions: 1001 }))).toEqual([
      400,
      'bad_request',
    ]);
    expect((await call('DELETE', '/kv/metadata/apps/meta', admin)).statusCode).toBe(204);
    expect(await status(call('GET', '/kv/metadata/apps/meta', admin))).toEqual([404, 'not_found']);
    expect(await status(call('DELETE', '/kv/metadata/apps/meta', admin))).toEqual([404, 'not_found']);
    // Settings on a new name make a secret with no version yet.
    const fresh = json(await call('POST', '/kv/metadata/apps/fresh', admin, { max_versions: 3 }));
    expect(fresh).toMatchObject({ current_version: 0, oldest_version: 0, versions: [] });
  });

  it('GET /kv/list/<folder> answers one level, folders ending in "/"', async () => {
    for (const name of ['list/a', 'list/b/c', 'list/b/d', 'list/c/d/e']) await put(name, { data: {} });
    expect(json(await call('GET', '/kv/list/list/', admin))).toEqual({ keys: ['a', 'b/', 'c/'] });
    expect(json(await call('GET', '/kv/list/list/c/', admin))).toEqual({ keys: ['d/'] });
    expect(json(await call('GET', '/kv/list/empty/', admin))).toEqual({ keys: [] });
    expect(json<{ keys: string[] }>(await call('GET', '/kv/list/', admin)).keys).toEqual(
      expect.arrayContaining(['apps/', 'list/']),
    );
    expect(await status(call('GET', '/kv/list/list', admin))).toEqual([400, 'invalid_secret']);
  });

  it('applies policies: 404 for what you may not read, 403 for a write you may not make', async () => {
    await put('team/alice/db', { data: { a: '1' } });
    await put('team/bob/db', { data: { b: '1' } });
    expect((await put('team/alice/new', { data: { x: '1' } }, alice)).statusCode).toBe(200);
    expect(await status(call('GET', '/kv/data/team/bob/db', alice))).toEqual([404, 'not_found']);
    expect(await status(call('GET', '/kv/metadata/team/bob/db', alice))).toEqual([404, 'not_found']);
    expect(await status(put('team/bob/db', { data: {} }, alice))).toEqual([403, 'forbidden']);
    expect(await status(put('team/bob/new', { data: {} }, alice))).toEqual([403, 'forbidden']);
    expect(await status(call('DELETE', '/kv/data/team/alice/db', alice))).toEqual([403, 'forbidden']);
    expect(await status(call('POST', '/kv/destroy/team/alice/db', alice, { versions: [1] }))).toEqual([
      403,
      'forbidden',
    ]);
    expect(await status(call('POST', '/kv/destroy/team/bob/db', alice, { versions: [1] }))).toEqual([
      404,
      'not_found',
    ]);
    expect(await status(call('DELETE', '/kv/metadata/team/bob/db', alice))).toEqual([404, 'not_found']);
    expect(json(await call('GET', '/kv/list/team/', alice))).toEqual({ keys: ['alice/'] });
  });

  it('needs a bearer token and the scope: secrets:read reads, secrets:write writes', async () => {
    expect(await status(call('GET', '/kv/data/apps/billing/db', {}))).toEqual([401, 'unauthorized']);
    expect(await status(call('GET', '/kv/list/', { authorization: 'Bearer nope' }))).toEqual([
      401,
      'invalid_token',
    ]);
    expect(await status(call('GET', '/kv/data/apps/billing/db', readOnly))).toEqual([200, undefined]);
    expect(await status(put('apps/billing/db', { data: {} }, readOnly))).toEqual([403, 'insufficient_scope']);
    expect(await status(call('DELETE', '/kv/data/apps/billing/db', readOnly))).toEqual([
      403,
      'insufficient_scope',
    ]);
  });

  it('validates bodies and names: 400 for bad input, 413 past secrets.max_bytes', async () => {
    const cases: [string, object, number, string][] = [
      ['apps/v', { data: { k: 1 } }, 400, 'bad_request'],
      ['apps/v', { data: 'text' }, 400, 'bad_request'],
      ['apps/v', { data: {}, extra: true }, 400, 'bad_request'],
      ['apps/v', { data: {}, cas: -1 }, 400, 'bad_request'],
      ['apps/v', {}, 400, 'bad_request'],
      ['apps/v', { data: { '': 'v' } }, 400, 'invalid_secret'],
      ['apps/v', { data: { 'bell\u0007': 'v' } }, 400, 'invalid_secret'],
      ['apps/a%20b', { data: {} }, 400, 'invalid_secret'],
      ['apps//v', { data: {} }, 400, 'invalid_secret'],
      ['apps/v', { data: { big: 'x'.repeat(64 * 1024) } }, 413, 'secret_too_large'],
    ];
    for (const [name, body, code, error] of cases) {
      expect(await status(put(name, body)), `${name} ${JSON.stringify(body).slice(0, 40)}`).toEqual([
        code,
        error,
      ]);
    }
    // A value may hold any text, NUL included: it is encrypted, never stored as text.
    expect(await status(put('apps/nul', { data: { k: 'a\u0000b' } }))).toEqual([200, undefined]);
    expect(json(await call('GET', '/kv/data/apps/nul', admin)).data).toEqual({ k: 'a\u0000b' });
  });

  it('shares secrets with the seed routes: data answers as value, value as data', async () => {
    const seed = json<{ id: string }>(
      await call('POST', '/secrets/create', admin, { name: 'shared/one', value: 'seed-value' }),
    );
    expect(json(await call('GET', '/kv/data/shared/one', admin)).data).toEqual({ value: 'seed-value' });
    await put('shared/one', { data: { value: 'kv-value', more: 'x' } });
    expect(json(await call('GET', `/secrets/${seed.id}`, admin))).toMatchObject({
      version: 2,
      value: 'kv-value',
      data: { value: 'kv-value', more: 'x' },
    });
    const updated = await call('POST', `/secrets/${seed.id}/update`, admin, {
      data: { only: 'data' },
      cas: 2,
    });
    expect(updated.statusCode).toBe(200);
    expect(json(await call('GET', `/secrets/${seed.id}`, admin))).toMatchObject({
      value: null,
      data: { only: 'data' },
    });
    expect(await status(call('POST', `/secrets/${seed.id}/update`, admin, { value: 'v', cas: 2 }))).toEqual([
      409,
      'cas_mismatch',
    ]);
  });

  it('records KV events in the log, never a value', async () => {
    const res = await call('GET', '/events?page_size=100&type=secret.', admin);
    const types = new Set(json<{ events: { type: string }[] }>(res).events.map((e) => e.type));
    for (const type of [
      'secret.created',
      'secret.updated',
      'secret.read',
      'secret.versions_deleted',
      'secret.versions_undeleted',
      'secret.versions_destroyed',
      'secret.metadata_updated',
      'secret.deleted',
    ]) {
      expect(types, type).toContain(type);
    }
    expect(res.body).not.toContain(CANARY);
    expect(f.logs.join('\n')).not.toContain(CANARY);
  });
});
