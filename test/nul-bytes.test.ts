import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, makeHush } from './helpers/hush-fixture.js';
import { type NodeStorage, nodeStorageEnv } from './helpers/node-storage.js';

/**
 * U+0000 in any name, id or username: PostgreSQL text columns refuse it with an error, which must
 * surface as a 400, never a 500. Content that is encrypted or hashed (a share's secret, a stored
 * secret's value, passwords) may hold it.
 */
const BACKENDS: readonly NodeStorage[] = ['postgres', 'sqlite'];

describe.each(BACKENDS)('NUL characters (%s)', (backend) => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush(await nodeStorageEnv(backend));
  });
  afterAll(async () => f?.close());

  const cases: readonly [string, string, string, Record<string, unknown> | undefined][] = [
    [
      'POST',
      '/api/v1/token/create',
      'no auth',
      { grant_type: 'password', username: 'a\u0000b', password: 'x' },
    ],
    [
      'POST',
      '/api/v1/token/create',
      'no auth',
      { grant_type: 'password', username: 'admin', password: 'x', client_id: 'c\u0000' },
    ],
    ['POST', '/api/v1/token/renew', 'no auth', { refresh_token: 'hush_rt_\u0000' }],
    ['GET', '/api/v1/users/a%00b', 'admin', undefined],
    ['POST', '/api/v1/users/a%00b/delete', 'admin', undefined],
    [
      'POST',
      '/api/v1/users/create',
      'admin',
      { username: 'a\u0000b', role: 'user', password: 'long enough password' },
    ],
    ['GET', '/api/v1/secrets/a%00b', 'admin', undefined],
    ['GET', '/api/v1/secrets/by-name/a%00b', 'admin', undefined],
    ['POST', '/api/v1/secrets/a%00b/update', 'admin', { value: 'v' }],
    ['POST', '/api/v1/secrets/create', 'admin', { name: 'a\u0000b', value: 'v' }],
    [
      'POST',
      '/api/v1/secrets/create',
      'admin',
      { name: 'ok/name', value: 'v', metadata: { 'k\u0000': 'v' } },
    ],
    ['GET', '/api/v1/secrets?prefix=a%00', 'admin', undefined],
    ['GET', '/api/v1/sys/policies?subject_type=user&subject=a%00b', 'admin', undefined],
    [
      'POST',
      '/api/v1/sys/policies',
      'admin',
      { subject_type: 'user', subject: 'a\u0000b', path: 'x', capabilities: ['read'] },
    ],
    ['POST', '/api/v1/sys/policies/a%00b/delete', 'admin', undefined],
    ['GET', '/api/v1/sys/setting/a%00b', 'admin', undefined],
    ['GET', '/api/v1/shares/a%00b', 'no auth', undefined],
  ];

  it.each(cases)('%s %s (%s) answers 400', async (method, url, who, payload) => {
    const res = await f.hush.app.inject({
      method: method as 'GET' | 'POST',
      url,
      ...(who === 'admin' && { headers: f.adminAuth }),
      ...(payload && { payload }),
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(JSON.parse(res.body).error).toBe('bad_request');
  });

  it('keeps NUL where content is encrypted: a share and a stored secret round-trip it', async () => {
    const share = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/shares',
      payload: { secret: 'a\u0000b' },
    });
    expect(share.statusCode).toBe(201);
    const reveal = await f.hush.app.inject({
      method: 'POST',
      url: `/api/v1/shares/${JSON.parse(share.body).secret_key}/reveal`,
      payload: {},
    });
    expect(JSON.parse(reveal.body).secret).toBe('a\u0000b');
    const created = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/secrets/create',
      headers: f.adminAuth,
      payload: { name: 'nul/value', value: 'x\u0000y' },
    });
    expect(created.statusCode).toBe(201);
    const read = await f.hush.app.inject({
      method: 'GET',
      url: `/api/v1/secrets/${JSON.parse(created.body).id}`,
      headers: f.adminAuth,
    });
    expect(JSON.parse(read.body).value).toBe('x\u0000y');
  });
});
