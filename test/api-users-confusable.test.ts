import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

/** A username that looks like an existing one is refused, over HTTP and the CLI's path alike. */
describe('confusable usernames', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(async () => f?.close());

  const create = (username: string) =>
    f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/users/create',
      headers: f.adminAuth,
      payload: { username, role: 'user', password: 'look-alike password 0123' },
    });

  it('refuses "аlice" (Cyrillic а) beside "alice" with 409 username_confusable, and "ALICE" as taken', async () => {
    expect((await create('alice')).statusCode).toBe(201);
    const lookalike = await create('\u0430lice');
    expect(lookalike.statusCode).toBe(409);
    expect(json(lookalike)).toEqual({
      error: 'username_confusable',
      message: 'A user with a username that looks the same exists (Unicode confusables): choose another.',
      request_id: expect.any(String),
    });
    expect(json(await create('ALICE')).error).toBe('username_taken');
    expect(json(await create('alic\u0435')).error).toBe('username_confusable'); // Cyrillic е
    expect((await create('alicia')).statusCode).toBe(201);
    const listed = await f.hush.app.inject({ method: 'GET', url: '/api/v1/users', headers: f.adminAuth });
    expect((json(listed).users as { username: string }[]).map((u) => u.username)).not.toContain('\u0430lice');
  });

  it('refuses a look-alike of the admin created at first start', async () => {
    const admin = await create('\u0430dmin');
    expect([admin.statusCode, json(admin).error]).toEqual([409, 'username_confusable']);
  });

  it('refuses digits that pass for letters ("r00t" beside "root") and names that pass for a GitHub account', async () => {
    expect((await create('root')).statusCode).toBe(201);
    expect(json(await create('r00t')).error).toBe('username_confusable');
    // GitHub accounts are gh.<login> and have no skeleton to collide with: the prefix keeps them apart.
    for (const name of ['g\u04bb.alice', '\u0261h.alice']) {
      const res = await create(name);
      expect([res.statusCode, json(res).error], name).toEqual([400, 'invalid_user']);
    }
  });

  it('lets one of concurrent creates of look-alike names through', async () => {
    const replies = await Promise.all(['mallory', 'm\u0430llory', 'rnallory', 'ma11ory'].map(create));
    expect(replies.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
  });
});
