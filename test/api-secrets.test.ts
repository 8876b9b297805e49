import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type HushFixture, json, makeHush, userSession } from './helpers/hush-fixture.js';

interface Written {
  id: string;
  name: string;
  version: number;
  created_at: string;
  expires_at: string | null;
}

const VALUE = 'correct-horse-battery-staple-9431';

describe('secret routes', () => {
  let f: HushFixture;
  let admin: { authorization: string };
  let alice: { authorization: string };
  let readOnly: { authorization: string };

  const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: object, payload?: object) =>
    f.hush.app.inject({ method, url, headers: headers as Record<string, string>, payload });
  const create = (payload: object, headers = admin) =>
    inject('POST', '/api/v1/secrets/create', headers, payload);

  beforeAll(async () => {
    f = await makeHush();
    admin = f.adminAuth;
    alice = bearer((await userSession(f, 'alice')).access_token);
    const by = { actor: { kind: 'user', id: 'u-admin', name: 'admin' } } as const;
    await f.hush.policies.create(
      {
        subjectType: 'user',
        subject: 'alice',
        path: 'apps/alice/**',
        capabilities: ['read', 'list', 'update'],
      },
      by,
    );
    await f.hush.policies.create(
      { subjectType: 'user', subject: 'alice', path: 'apps/*', capabilities: ['list'] },
      by,
    );
    const session = await userSession(f, 'bob', 'user', { scope: 'secrets:read' });
    readOnly = bearer(session.access_token);
    await f.hush.policies.create(
      { subjectType: 'user', subject: 'bob', path: '**', capabilities: ['read', 'create'] },
      by,
    );
  });
  afterAll(() => f?.close());

  it('creates, reads (by id, by name, by version), updates, lists versions and deletes', async () => {
    const res = await create({ name: 'apps/alice/db', value: VALUE, metadata: { owner: 'alice' } });
    expect(res.statusCode).toBe(201);
    const created = json<Written>(res);
    expect(created).toEqual({
      id: expect.any(String),
      name: 'apps/alice/db',
      version: 1,
      created_at: expect.any(String),
      expires_at: null,
    });

    const read = await inject('GET', `/api/v1/secrets/${created.id}`, alice);
    expect(read.statusCode).toBe(200);
    expect(json(read)).toEqual({
      id: created.id,
      name: 'apps/alice/db',
      version: 1,
      value: VALUE,
      data: { value: VALUE },
      metadata: { owner: 'alice' },
      created_at: created.created_at,
      updated_at: created.created_at,
      expires_at: null,
    });

    const updated = await inject('POST', `/api/v1/secrets/${created.id}/update`, alice, {
      value: 'v2',
      ttl_seconds: 3600,
    });
    expect(updated.statusCode).toBe(200);
    expect(json<Written>(updated)).toMatchObject({
      id: created.id,
      version: 2,
      expires_at: expect.any(String),
    });

    const byName = await inject('GET', '/api/v1/secrets/by-name/apps/alice/db?version=1', alice);
    expect(json(byName)).toMatchObject({ version: 1, value: VALUE });
    const v1 = await inject('GET', `/api/v1/secrets/${created.id}/versions/1`, alice);
    expect(json(v1)).toMatchObject({ version: 1, value: VALUE, metadata: { owner: 'alice' } });
    expect(json(await inject('GET', `/api/v1/secrets/${created.id}?version=2`, alice))).toMatchObject({
      value: 'v2',
      metadata: {},
    });

    const versions = await inject('GET', `/api/v1/secrets/${created.id}/versions`, alice);
    expect(json(versions)).toEqual({
      versions: [
        { version: 1, created_at: expect.any(String), key_version: 1 },
        { version: 2, created_at: expect.any(String), key_version: 1 },
      ],
    });

    expect((await inject('POST', `/api/v1/secrets/${created.id}/delete`, alice)).statusCode).toBe(403);
    expect((await inject('DELETE', `/api/v1/secrets/${created.id}`, admin)).statusCode).toBe(204);
    expect((await inject('GET', `/api/v1/secrets/${created.id}`, admin)).statusCode).toBe(404);
    expect((await inject('POST', `/api/v1/secrets/${created.id}/delete`, admin)).statusCode).toBe(404);
  });

  it('lists names without values, by prefix, paginated, only those the caller may list', async () => {
    for (const name of ['apps/a', 'apps/b', 'apps/alice/x', 'apps/deep/y', 'ops/z']) {
      expect((await create({ name, value: VALUE })).statusCode).toBe(201);
    }
    const page = await inject('GET', '/api/v1/secrets?prefix=apps/&page=1&page_size=2', alice);
    expect(page.statusCode).toBe(200);
    const body = json<{ total: number; page: number; page_size: number; secrets: Record<string, unknown>[] }>(
      page,
    );
    expect(body.total).toBe(3);
    expect(body.secrets.map((s) => s.name)).toEqual(['apps/a', 'apps/alice/x']);
    expect(Object.keys(body.secrets[0] ?? {}).sort()).toEqual([
      'created_at',
      'expires_at',
      'id',
      'name',
      'updated_at',
      'version',
    ]);
    expect(page.body).not.toContain(VALUE);
    expect(json<{ total: number }>(await inject('GET', '/api/v1/secrets', admin)).total).toBe(5);
    expect((await inject('GET', '/api/v1/secrets?prefix=a%20b', admin)).statusCode).toBe(400);
  });

  it('answers 404 for what the caller may not read, 403 for create without the capability', async () => {
    const ops = json<Written>(await inject('GET', '/api/v1/secrets/by-name/ops/z', admin));
    for (const [method, url] of [
      ['GET', `/api/v1/secrets/${ops.id}`],
      ['GET', '/api/v1/secrets/by-name/ops/z'],
      ['GET', `/api/v1/secrets/${ops.id}/versions`],
      ['GET', `/api/v1/secrets/${ops.id}/versions/1`],
      ['POST', `/api/v1/secrets/${ops.id}/delete`],
      ['DELETE', `/api/v1/secrets/${ops.id}`],
    ] as const) {
      const res = await inject(method, url, alice);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(json(res).error).toBe('not_found');
    }
    const update = await inject('POST', `/api/v1/secrets/${ops.id}/update`, alice, { value: 'x' });
    expect(update.statusCode).toBe(404);
    // Whether the name exists or not, a caller without `create` learns nothing.
    for (const name of ['ops/z', 'ops/new']) {
      const res = await create({ name, value: 'x' }, alice);
      expect(res.statusCode).toBe(403);
      expect(json(res).error).toBe('forbidden');
    }
    const taken = await create({ name: 'ops/z', value: 'x' });
    expect([taken.statusCode, json(taken).error]).toEqual([409, 'secret_exists']);
  });

  it('requires a bearer token and the scope: secrets:read reads, secrets:write writes', async () => {
    expect((await inject('GET', '/api/v1/secrets', {})).statusCode).toBe(401);
    expect((await create({ name: 'x/y', value: 'v' }, { authorization: 'Bearer nope' })).statusCode).toBe(
      401,
    );
    const ops = json<Written>(await inject('GET', '/api/v1/secrets/by-name/ops/z', admin));
    expect((await inject('GET', `/api/v1/secrets/${ops.id}`, readOnly)).statusCode).toBe(200);
    const refused = await create({ name: 'bob/x', value: 'v' }, readOnly);
    expect([refused.statusCode, json(refused).error]).toEqual([403, 'insufficient_scope']);
  });

  it('validates bodies: unknown fields, bad names, metadata, size, TTL', async () => {
    const cases: [object, number, string][] = [
      [{ name: 'a/b', value: 'v', extra: 1 }, 400, 'bad_request'],
      [{ name: 'a/../b', value: 'v' }, 400, 'invalid_secret'],
      [{ name: 'a/b', value: 'v', metadata: { k: 1 } }, 400, 'bad_request'],
      [{ name: 'a/b', value: 'v', ttl_seconds: 0 }, 400, 'bad_request'],
      [{ name: 'a/b', value: 'x'.repeat(64 * 1024 + 1) }, 413, 'secret_too_large'],
    ];
    for (const [payload, status, error] of cases) {
      const res = await create(payload);
      expect([res.statusCode, json(res).error], JSON.stringify(payload).slice(0, 60)).toEqual([
        status,
        error,
      ]);
    }
  });

  it('hides a secret past its TTL at once, and the sweeper erases it', async () => {
    const res = await create({ name: 'ttl/short', value: VALUE, ttl_seconds: 1 });
    const { id, expires_at } = json<Written>(res);
    expect(Date.parse(expires_at ?? '')).toBeGreaterThan(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await inject('GET', `/api/v1/secrets/${id}`, admin)).statusCode).toBe(404);
    expect((await inject('GET', '/api/v1/secrets?prefix=ttl/', admin)).body).not.toContain(id);
    expect((await f.hush.sweeper.runOnce()).secretsPurged).toBe(1);
    expect(await f.hush.storage.secrets.versions(id)).toEqual([]);
    expect((await create({ name: 'ttl/short', value: 'again' })).statusCode).toBe(201);
  });

  it('records reads and writes in the event log with the username, never the value', async () => {
    const events = await inject('GET', '/api/v1/events?page_size=100', admin);
    const list = json<{ events: { type: string; actor: { name: string | null } }[] }>(events).events;
    const types = new Set(
      list.filter((e) => e.type.startsWith('secret.')).map((e) => `${e.type}:${e.actor.name}`),
    );
    expect(types).toEqual(
      new Set([
        'secret.created:admin',
        'secret.read:alice',
        'secret.read:admin',
        'secret.updated:alice',
        'secret.deleted:admin',
        'secret.read:bob',
      ]),
    );
    expect(events.body).not.toContain(VALUE);
    expect(f.logs.join('\n')).not.toContain(VALUE);
  });
});
