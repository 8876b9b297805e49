import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type HushFixture, json, makeHush, userSession } from './helpers/hush-fixture.js';

interface MachineBody {
  id: string;
  name: string;
  role_id: string;
  role: string;
  token_ttl_seconds: number;
  token_max_ttl_seconds: number;
  token_num_uses: number;
  secret_id_ttl_seconds: number;
  secret_id_num_uses: number;
  secret_id_bound_cidrs: string[] | null;
  token_bound_cidrs: string[] | null;
  created_at: string;
  updated_at: string;
}

interface SecretIdBody {
  secret_id: string;
  accessor: string;
  created_at: string;
  expires_at: string | null;
  uses_left: number | null;
  cidrs: string[] | null;
  metadata: Record<string, string>;
}

const CI = '192.0.2.10';

describe('machine identity routes', () => {
  let f: HushFixture;
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers = f.adminAuth) =>
    f.hush.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) });
  const createMachine = async (payload: object) => {
    const res = await call('POST', '/machines', payload);
    expect(res.statusCode, res.body).toBe(201);
    return json<MachineBody>(res);
  };
  const secretIdOf = async (name: string, payload: object = {}) => {
    const res = await call('POST', `/machines/${name}/secret-ids`, payload);
    expect(res.statusCode, res.body).toBe(201);
    return json<SecretIdBody>(res);
  };
  const login = (role_id: string, secret_id: string, remoteAddress = CI) =>
    f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/machines/login',
      payload: { role_id, secret_id },
      remoteAddress,
    });
  const read = (name: string, token: string, remoteAddress = CI) =>
    f.hush.app.inject({
      method: 'GET',
      url: `/api/v1/secrets/by-name/${name}`,
      headers: bearer(token),
      remoteAddress,
    });
  const events = async (type: string) =>
    json<{
      events: {
        type: string;
        actor: { kind: string; name: string };
        subject: { kind: string; id: string } | null;
        data: Record<string, unknown>;
      }[];
    }>(await call('GET', `/events?type=${type}&page_size=100`)).events;

  beforeAll(async () => {
    f = await makeHush();
    for (const name of ['ci/deploy/key', 'hr/salaries']) {
      const res = await call('POST', '/secrets/create', { name, value: `value of ${name}` });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => f?.close());

  it('creates, lists, shows, updates and deletes a machine, each change audited', async () => {
    const created = await createMachine({
      name: 'builder',
      token_ttl_seconds: 600,
      secret_id_num_uses: 5,
      secret_id_bound_cidrs: ['10.0.0.0/8'],
    });
    expect(created).toEqual({
      id: expect.any(String),
      name: 'builder',
      role_id: expect.any(String),
      role: 'user',
      token_ttl_seconds: 600,
      token_max_ttl_seconds: 0,
      token_num_uses: 0,
      secret_id_ttl_seconds: 0,
      secret_id_num_uses: 5,
      secret_id_bound_cidrs: ['10.0.0.0/8'],
      token_bound_cidrs: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(json(await call('GET', '/machines/builder'))).toEqual(created);
    expect(json<{ machines: MachineBody[] }>(await call('GET', '/machines')).machines).toContainEqual(
      created,
    );
    expect((await call('POST', '/machines', { name: 'builder' })).statusCode).toBe(409);

    const updated = await call('POST', '/machines/builder', { role: 'admin', secret_id_bound_cidrs: null });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(json(updated)).toMatchObject({
      role: 'admin',
      secret_id_bound_cidrs: null,
      role_id: created.role_id,
    });

    expect((await call('DELETE', '/machines/builder')).statusCode).toBe(204);
    expect((await call('GET', '/machines/builder')).statusCode).toBe(404);
    expect((await call('DELETE', '/machines/builder')).statusCode).toBe(404);
    for (const type of ['machine.created', 'machine.updated', 'machine.deleted']) {
      const [event] = (await events(type)).filter((e) => e.subject?.id === created.id);
      expect(event, type).toMatchObject({
        actor: { kind: 'user', name: 'admin' },
        subject: { kind: 'machine' },
      });
    }
    expect((await events('machine.updated'))[0]?.data).toMatchObject({
      fields: 'role,secret_id_bound_cidrs',
    });
  });

  it.each([
    ['a bad name', { name: 'two words' }],
    ['the reserved name login', { name: 'login' }],
    ['a name shaped like a machine id', { name: '0b6f2a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b' }],
    ['a token TTL above the setting', { name: 'm1', token_ttl_seconds: 999_999 }],
    ['a TTL above the max TTL', { name: 'm2', token_ttl_seconds: 600, token_max_ttl_seconds: 60 }],
    ['a bad network', { name: 'm3', token_bound_cidrs: ['10.0.0.1/99'] }],
    ['a bad policy path', { name: 'm4', policies: [{ path: 'a/../b', capabilities: ['read'] }] }],
    ['an unknown field', { name: 'm5', token_policies: ['x'] }],
  ])('refuses %s with a 400', async (_, payload) => {
    const res = await call('POST', '/machines', payload);
    expect(res.statusCode, res.body).toBe(400);
    expect((await call('GET', `/machines/${(payload as { name: string }).name}`)).statusCode).not.toBe(200);
  });

  it('makes secret_ids shown once, lists them by accessor and revokes them', async () => {
    await createMachine({ name: 'lister', secret_id_ttl_seconds: 3600, secret_id_num_uses: 3 });
    const first = await secretIdOf('lister', { metadata: { job: 'nightly' } });
    expect(first.secret_id).toMatch(/^hush_sid_[A-Za-z0-9_-]{43}$/);
    expect(first).toMatchObject({ uses_left: 3, cidrs: null, metadata: { job: 'nightly' } });
    expect(Date.parse(first.expires_at ?? '') - Date.parse(first.created_at)).toBe(3600_000);
    const second = await secretIdOf('lister', { num_uses: 1, ttl_seconds: 60 });
    expect(second.uses_left).toBe(1);
    expect((await call('POST', '/machines/lister/secret-ids', { num_uses: 4 })).statusCode).toBe(400);
    expect((await call('POST', '/machines/lister/secret-ids', { ttl_seconds: 0 })).statusCode).toBe(400);

    const listed = await call('GET', '/machines/lister/secret-ids');
    const { secret_ids } = json<{ secret_ids: Omit<SecretIdBody, 'secret_id'>[] }>(listed);
    expect(secret_ids.map((s) => s.accessor)).toEqual([first.accessor, second.accessor]);
    expect(listed.body).not.toContain(first.secret_id);
    expect(listed.body).not.toContain('hash');

    expect((await call('DELETE', `/machines/lister/secret-ids/${first.accessor}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/machines/lister/secret-ids/${first.accessor}`)).statusCode).toBe(404);
    const after = json<{ secret_ids: { accessor: string }[] }>(
      await call('GET', '/machines/lister/secret-ids'),
    );
    expect(after.secret_ids.map((s) => s.accessor)).toEqual([second.accessor]);
    // The server's sweeper purges ended secret_ids, a day after they ended: not this one yet.
    expect((await f.hush.sweeper.runOnce()).secretIdsPurged).toBe(0);
    const [revoked] = await events('machine.secret_id_revoked');
    expect(revoked?.data).toMatchObject({ name: 'lister', accessor: first.accessor });
    const all = JSON.stringify(await events('machine.'));
    expect(all).not.toContain(first.secret_id);
    expect(all).not.toContain(second.secret_id);
  });

  it('signs in with role_id and secret_id; its token reads what its policies allow, 404 elsewhere', async () => {
    const ci = await createMachine({
      name: 'ci-deployer',
      policies: [{ path: 'ci/**', capabilities: ['read', 'list'] }],
    });
    const policies = json<{ policies: { subject: string; path: string }[] }>(
      await call('GET', '/sys/policies?subject_type=machine&subject=ci-deployer'),
    ).policies;
    expect(policies).toMatchObject([{ subject: 'ci-deployer', path: 'ci/**' }]);
    const { secret_id } = await secretIdOf('ci-deployer', { num_uses: 2 });

    const res = await login(ci.role_id, secret_id);
    expect(res.statusCode, res.body).toBe(200);
    const tokens = json<{ access_token: string; refresh_token: string; scope: string; expires_in: number }>(
      res,
    );
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      scope: 'secrets:read secrets:write shares:write',
      expires_in: 3600,
    });
    expect(json(await read('ci/deploy/key', tokens.access_token))).toMatchObject({
      value: 'value of ci/deploy/key',
    });
    expect((await read('hr/salaries', tokens.access_token)).statusCode).toBe(404);

    const self = json<{ user: { kind: string; id: string; username: string } }>(
      await f.hush.app.inject({
        method: 'GET',
        url: '/api/v1/token/lookup-self',
        headers: bearer(tokens.access_token),
      }),
    );
    expect(self.user).toEqual({ kind: 'machine', id: ci.id, username: 'ci-deployer', role: 'user' });
    // Not an admin: administration refuses it.
    expect((await call('GET', '/machines', undefined, bearer(tokens.access_token))).statusCode).toBe(403);

    const renewed = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/renew',
      payload: { refresh_token: tokens.refresh_token },
      remoteAddress: CI,
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    const next = json<{ access_token: string }>(renewed).access_token;
    expect((await read('ci/deploy/key', next)).statusCode).toBe(200);

    const [loginEvent] = (await events('auth.login')).filter((e) => e.actor.kind === 'machine');
    expect(loginEvent).toMatchObject({ actor: { name: 'ci-deployer' }, data: { method: 'approle' } });
    const [created] = (await events('token.created')).filter((e) => e.actor.kind === 'machine');
    expect(created?.data).toMatchObject({ method: 'approle' });

    // Two uses: the second sign-in works, the third does not.
    expect((await login(ci.role_id, secret_id)).statusCode).toBe(200);
    const third = await login(ci.role_id, secret_id);
    expect([third.statusCode, json(third).error]).toEqual([400, 'invalid_grant']);

    const revoked = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/revoke',
      payload: { token: next },
    });
    expect(revoked.statusCode).toBe(200);
    expect((await read('ci/deploy/key', next)).statusCode).toBe(401);

    // Deleting the machine ends its sessions at once.
    const again = await secretIdOf('ci-deployer');
    const live = json<{ access_token: string }>(await login(ci.role_id, again.secret_id)).access_token;
    expect((await read('ci/deploy/key', live)).statusCode).toBe(200);
    expect((await call('DELETE', '/machines/ci-deployer')).statusCode).toBe(204);
    expect((await read('ci/deploy/key', live)).statusCode).toBe(401);
    expect(json(await call('GET', '/sys/policies?subject_type=machine')).policies).toEqual([]);
  });

  it('refuses every bad sign-in with the same invalid_grant, and audits why', async () => {
    const m = await createMachine({ name: 'refused' });
    const { secret_id, accessor } = await secretIdOf('refused');
    const other = await createMachine({ name: 'other' });
    const attempts = [
      login('not-a-role-id', secret_id),
      login(m.role_id, 'hush_sid_wrong'),
      login(m.role_id, `hush_sid_${'A'.repeat(43)}`),
      login(other.role_id, secret_id),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(400);
      expect(json(res)).toMatchObject({
        error: 'invalid_grant',
        message: 'The role_id or secret_id is not valid.',
      });
    }
    expect((await call('DELETE', `/machines/refused/secret-ids/${accessor}`)).statusCode).toBe(204);
    expect(json(await login(m.role_id, secret_id)).error).toBe('invalid_grant');
    const failed = await events('auth.login_failed');
    const reasons = failed.filter((e) => e.data.method === 'approle').map((e) => e.data.reason);
    expect(reasons).toEqual(
      expect.arrayContaining(['unknown_role_id', 'unknown_secret_id', 'secret_id_not_live']),
    );
    expect(JSON.stringify(failed)).not.toContain(secret_id);
  });

  it('binds the sign-in and the tokens to networks', async () => {
    const bound = await createMachine({
      name: 'bound',
      secret_id_bound_cidrs: ['192.0.2.0/24'],
      token_bound_cidrs: ['192.0.2.0/24', '198.51.100.7'],
    });
    expect((await call('POST', '/machines/bound/secret-ids', { cidrs: ['10.0.0.0/8'] })).statusCode).toBe(
      400,
    );
    const narrow = await secretIdOf('bound', { cidrs: ['192.0.2.10/32'] });
    expect(narrow.cidrs).toEqual(['192.0.2.10/32']);
    const wide = await secretIdOf('bound', { num_uses: 1 });

    expect((await login(bound.role_id, wide.secret_id, '203.0.113.5')).statusCode).toBe(400);
    expect((await login(bound.role_id, narrow.secret_id, '192.0.2.11')).statusCode).toBe(400);
    // The refused attempts spent nothing: the one use is still there.
    const listed = json<{ secret_ids: { accessor: string; uses_left: number | null }[] }>(
      await call('GET', '/machines/bound/secret-ids'),
    );
    expect(listed.secret_ids.find((s) => s.accessor === wide.accessor)?.uses_left).toBe(1);

    const res = await login(bound.role_id, narrow.secret_id, '192.0.2.10');
    expect(res.statusCode, res.body).toBe(200);
    const token = json<{ access_token: string }>(res).access_token;
    const self = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/token/lookup-self',
      headers: bearer(token),
      remoteAddress: '198.51.100.7',
    });
    expect(json(self)).toMatchObject({ bound_cidrs: ['192.0.2.0/24', '198.51.100.7/32'] });
    expect((await read('ci/deploy/key', token, '203.0.113.5')).statusCode).toBe(401);
    const reasons = (await events('auth.login_failed')).map((e) => e.data.reason);
    expect(reasons).toContain('address_not_allowed');
  });

  it('keeps a user and a machine apart: shared names, ids and policies mean nothing across kinds', async () => {
    const user = await userSession(f, 'twin');
    const machine = await createMachine({
      name: 'twin',
      policies: [{ path: 'ci/**', capabilities: ['read'] }],
    });
    // The user's own policies (none) apply to the user, not the machine's.
    expect((await read('ci/deploy/key', user.access_token)).statusCode).toBe(404);
    const { secret_id } = await secretIdOf('twin');
    const token = json<{ access_token: string }>(await login(machine.role_id, secret_id)).access_token;
    expect((await read('ci/deploy/key', token)).statusCode).toBe(200);
    const sessions = async (access: string) =>
      json<{ sessions: { id: string }[] }>(
        await f.hush.app.inject({ method: 'GET', url: '/api/v1/token/sessions', headers: bearer(access) }),
      ).sessions.map((s) => s.id);
    const [mine, its] = [await sessions(user.access_token), await sessions(token)];
    expect(mine.some((id) => its.includes(id))).toBe(false);
    // Deleting the account leaves the machine signed in, and the other way round.
    expect((await call('POST', '/users/twin/delete')).statusCode).toBe(204);
    expect((await read('ci/deploy/key', token)).statusCode).toBe(200);
    expect(
      (
        await f.hush.app.inject({
          method: 'GET',
          url: '/api/v1/token/lookup-self',
          headers: bearer(user.access_token),
        })
      ).statusCode,
    ).toBe(401);
  });

  it('keeps both of two concurrent partial updates: neither overwrites the other', async () => {
    await createMachine({ name: 'concurrent' });
    for (let round = 1; round <= 10; round += 1) {
      const [a, b] = await Promise.all([
        call('POST', '/machines/concurrent', { secret_id_num_uses: round }),
        call('POST', '/machines/concurrent', { token_num_uses: round }),
      ]);
      expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([200, 200]);
      const shown = json<MachineBody>(await call('GET', '/machines/concurrent'));
      expect(shown).toMatchObject({ secret_id_num_uses: round, token_num_uses: round });
    }
  });

  it('serves a machine whose name has the longest length allowed', async () => {
    const name = 'm'.repeat(128);
    await createMachine({ name });
    const shown = await call('GET', `/machines/${name}`);
    expect(shown.statusCode, shown.body).toBe(200);
    expect((await call('POST', `/machines/${name}/secret-ids`, {})).statusCode).toBe(201);
    expect((await call('DELETE', `/machines/${name}`)).statusCode).toBe(204);
    expect((await call('POST', '/machines', { name: `${name}m` })).statusCode).toBe(400);
  });

  it('asks for admin on administration and nothing on sign-in', async () => {
    const user = await userSession(f, 'plain');
    expect((await call('GET', '/machines', undefined, bearer(user.access_token))).statusCode).toBe(403);
    expect((await f.hush.app.inject({ method: 'GET', url: '/api/v1/machines' })).statusCode).toBe(401);
    expect(
      (await f.hush.app.inject({ method: 'POST', url: '/api/v1/machines/login', payload: {} })).statusCode,
    ).toBe(400);
  });
});
