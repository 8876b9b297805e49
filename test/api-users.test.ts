import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_USERNAME,
  bearer,
  type HushFixture,
  json,
  makeHush,
  userSession,
} from './helpers/hush-fixture.js';

/** Account administration over HTTP (seed 003's /api/v1/users routes): admin only, audited. */
describe('account routes', () => {
  let f: HushFixture;
  let userAuth: { authorization: string };
  beforeAll(async () => {
    f = await makeHush();
    userAuth = bearer((await userSession(f, 'plainuser')).access_token);
  });
  afterAll(async () => f?.close());

  const call = (
    method: 'GET' | 'POST',
    url: string,
    headers = f.adminAuth,
    payload?: Record<string, unknown>,
  ) => f.hush.app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });

  it('creates an account, refuses duplicates and bad accounts, never echoes the password', async () => {
    const body = { username: 'Zoe', email: 'zoe@example.com', role: 'user', password: 'zoe password 0123' };
    const created = await call('POST', '/api/v1/users/create', f.adminAuth, body);
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({ username: 'zoe', email: 'zoe@example.com', role: 'user' });
    expect(created.body).not.toContain('zoe password');
    expect(json(await call('POST', '/api/v1/users/create', f.adminAuth, body)).error).toBe('username_taken');
    const short = await call('POST', '/api/v1/users/create', f.adminAuth, {
      ...body,
      username: 'yan',
      password: 'short',
    });
    expect([short.statusCode, json(short).error]).toEqual([400, 'invalid_user']);
    const role = await call('POST', '/api/v1/users/create', f.adminAuth, {
      ...body,
      username: 'yan',
      role: 'root',
    });
    expect(role.statusCode).toBe(400);
  });

  it('lists accounts by page and gets one; unknown is 404', async () => {
    const page = await call('GET', '/api/v1/users?page=1&page_size=2');
    expect(json(page)).toMatchObject({ total: 3, page: 1, page_size: 2 });
    expect(json<{ users: { username: string }[] }>(page).users.map((u) => u.username)).toEqual([
      ADMIN_USERNAME,
      'plainuser',
    ]);
    const second = await call('GET', '/api/v1/users?page=2&page_size=2');
    expect(json<{ users: { username: string }[] }>(second).users.map((u) => u.username)).toEqual(['zoe']);
    expect(json(await call('GET', '/api/v1/users/ZOE'))).toMatchObject({ username: 'zoe', role: 'user' });
    expect((await call('GET', '/api/v1/users/nobody')).statusCode).toBe(404);
  });

  it('is admin only: a user token is 403, no token 401', async () => {
    expect((await call('GET', '/api/v1/users', userAuth)).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/users/zoe/delete', userAuth)).statusCode).toBe(403);
    expect((await f.hush.app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
  });

  it('deletes accounts, ending their sessions; the last admin stays; both audited with the actor', async () => {
    expect((await call('GET', '/api/v1/token/lookup-self', userAuth)).statusCode).toBe(200);
    expect((await call('POST', '/api/v1/users/plainuser/delete')).statusCode).toBe(204);
    expect((await call('GET', '/api/v1/token/lookup-self', userAuth)).statusCode).toBe(401);
    expect((await call('POST', '/api/v1/users/plainuser/delete')).statusCode).toBe(404);
    const last = await call('POST', `/api/v1/users/${ADMIN_USERNAME}/delete`);
    expect([last.statusCode, json(last).error]).toEqual([409, 'last_admin']);
    const events = json<{ events: Record<string, unknown>[] }>(
      await call('GET', '/api/v1/events?type=user.deleted'),
    ).events;
    expect(events[0]).toMatchObject({
      actor: { kind: 'user', name: ADMIN_USERNAME },
      subject: { kind: 'user' },
      data: { username: 'plainuser' },
    });
  });
});
