import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

const PASSWORD = 'correct horse battery staple';

interface PolicyBody {
  id: string;
  subject_type: string;
  subject: string;
  path: string;
  capabilities: string[];
  created_at: string;
}

describe('policy routes', () => {
  let f: HushFixture;
  let admin: Record<string, string>;
  let user: Record<string, string>;

  const signIn = async (username: string) => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      payload: { grant_type: 'password', username, password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    return { authorization: `Bearer ${json<{ access_token: string }>(res).access_token}` };
  };

  const create = (payload: unknown, headers = admin) =>
    f.hush.app.inject({ method: 'POST', url: '/api/v1/sys/policies', payload: payload as object, headers });
  const list = (query = '', headers = admin) =>
    f.hush.app.inject({ method: 'GET', url: `/api/v1/sys/policies${query}`, headers });

  beforeAll(async () => {
    f = await makeHush();
    await f.hush.users.create({ username: 'root', role: 'admin', password: PASSWORD });
    await f.hush.users.create({ username: 'alice', role: 'user', password: PASSWORD });
    admin = await signIn('root');
    user = await signIn('alice');
  });
  afterAll(() => f?.close());

  it('creates, lists, filters and deletes policies; each change is audited', async () => {
    const role = await create({
      subject_type: 'role',
      subject: 'user',
      path: 'apps/**',
      capabilities: ['list', 'read'],
    });
    expect(role.statusCode).toBe(201);
    const roleBody = json<PolicyBody>(role);
    expect(roleBody).toEqual({
      id: expect.any(String),
      subject_type: 'role',
      subject: 'user',
      path: 'apps/**',
      capabilities: ['read', 'list'],
      created_at: expect.any(String),
    });

    const mine = await create({
      subject_type: 'user',
      subject: 'Alice',
      path: 'apps/alice/*',
      capabilities: ['deny'],
    });
    expect(mine.statusCode).toBe(201);
    const mineBody = json<PolicyBody>(mine);
    expect(mineBody).toMatchObject({ subject_type: 'user', subject: 'alice', capabilities: ['deny'] });

    expect(json<{ policies: PolicyBody[] }>(await list()).policies).toEqual([roleBody, mineBody]);
    expect(json<{ policies: PolicyBody[] }>(await list('?subject_type=user&subject=alice')).policies).toEqual(
      [mineBody],
    );
    expect(json<{ policies: PolicyBody[] }>(await list('?subject_type=role')).policies).toEqual([roleBody]);

    // The checker the secret service uses sees them at once.
    const alice = await f.hush.users.get('alice');
    const actor = { kind: 'user' as const, id: alice.id, role: alice.role };
    expect([...(await f.hush.policyChecker.capabilities(actor, 'apps/web/key'))].sort()).toEqual([
      'list',
      'read',
    ]);
    expect([...(await f.hush.policyChecker.capabilities(actor, 'apps/alice/key'))]).toEqual([]);

    const byPost = await f.hush.app.inject({
      method: 'POST',
      url: `/api/v1/sys/policies/${mineBody.id}/delete`,
      headers: admin,
    });
    expect(byPost.statusCode).toBe(204);
    const byDelete = await f.hush.app.inject({
      method: 'DELETE',
      url: `/api/v1/sys/policies/${roleBody.id}`,
      headers: admin,
    });
    expect(byDelete.statusCode).toBe(204);
    expect(json<{ policies: PolicyBody[] }>(await list()).policies).toEqual([]);

    const events = await f.hush.audit.list({}, 1, 100);
    const policyEvents = events.events
      .filter((e) => e.type.startsWith('policy.'))
      .map((e) => {
        const { subject_type, subject, path, capabilities } = e.data;
        return [e.type, e.actor.name, `${subject_type}:${subject} ${path} ${capabilities}`];
      })
      .reverse();
    expect(policyEvents).toEqual([
      ['policy.created', 'root', 'role:user apps/** read,list'],
      ['policy.created', 'root', 'user:alice apps/alice/* deny'],
      ['policy.deleted', 'root', 'user:alice apps/alice/* deny'],
      ['policy.deleted', 'root', 'role:user apps/** read,list'],
    ]);
  });

  it('answers 404 for an unknown user or policy', async () => {
    const unknownUser = await create({
      subject_type: 'user',
      subject: 'nobody',
      path: 'a/*',
      capabilities: ['read'],
    });
    expect(unknownUser.statusCode).toBe(404);
    expect((await list('?subject_type=user&subject=nobody')).statusCode).toBe(404);
    for (const method of ['POST', 'DELETE'] as const) {
      const url = `/api/v1/sys/policies/00000000-0000-0000-0000-000000000000${method === 'POST' ? '/delete' : ''}`;
      const res = await f.hush.app.inject({ method, url, headers: admin });
      expect(res.statusCode).toBe(404);
      expect(json(res).error).toBe('not_found');
    }
  });

  it.each([
    ['an unknown capability', { capabilities: ['read', 'sudo'] }],
    ['no capabilities', { capabilities: [] }],
    ['a brace glob', { path: 'apps/{a,b}' }],
    ['a .. segment', { path: 'apps/../hr' }],
    ['** inside a segment', { path: 'apps/x**' }],
    ['an unknown role', { subject: 'auditor' }],
    ['an unknown subject type', { subject_type: 'group' }],
    ['an unknown field', { comment: 'x' }],
  ])('answers 400 for %s', async (_why, overrides) => {
    const res = await create({
      subject_type: 'role',
      subject: 'user',
      path: 'apps/*',
      capabilities: ['read'],
      ...overrides,
    });
    expect(res.statusCode).toBe(400);
    expect(['bad_request', 'invalid_policy']).toContain(json(res).error);
  });

  it('refuses callers without a token (401) and non-admins (403)', async () => {
    const body = { subject_type: 'role', subject: 'user', path: '**', capabilities: ['read'] };
    expect((await create(body, {})).statusCode).toBe(401);
    expect((await create(body, user)).statusCode).toBe(403);
    expect((await list('', user)).statusCode).toBe(403);
    const del = await f.hush.app.inject({ method: 'DELETE', url: '/api/v1/sys/policies/x', headers: user });
    expect(del.statusCode).toBe(403);
    expect(json<{ policies: unknown[] }>(await list()).policies).toEqual([]);
  });

  it('documents the routes in OpenAPI with the bearer scheme', async () => {
    const doc = json<{ paths: Record<string, Record<string, { security?: unknown }>> }>(
      await f.hush.app.inject({ method: 'GET', url: '/api/openapi.json' }),
    );
    expect(doc.paths['/api/v1/sys/policies']?.post?.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/sys/policies/{policy_id}']?.delete?.security).toEqual([{ bearer: [] }]);
  });
});
