import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

/** Each request below is the one documented by a seed, replayed as written. */
describe('seed 000 (/api/secret, /api/event)', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f.close());

  it('POST /api/secret with secret, passphrase and ttl_seconds answers {secret_key}', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/secret',
      headers: { 'content-type': 'application/json' },
      payload: '{\n  "secret": "my-secret",\n  "passphrase": "your-passphrase",\n  "ttl_seconds": 3600\n}',
    });
    expect(res.statusCode).toBe(201);
    const body = json(res);
    expect(Object.keys(body)).toEqual(['secret_key']);

    // The seed's passphrase protects deletion only: the documented GET reads without it, once.
    const get = await f.hush.app.inject({
      method: 'GET',
      url: `/api/secret/${body.secret_key}`,
      headers: { accept: 'application/json' },
    });
    expect(get.statusCode).toBe(200);
    expect(json(get)).toEqual({ secret: 'my-secret' });
    expect(
      (await f.hush.app.inject({ method: 'GET', url: `/api/secret/${body.secret_key}` })).statusCode,
    ).toBe(404);
  });

  it('HEAD on the consuming GET is not a route: a link checker cannot burn the secret', async () => {
    const { secret_key } = json(
      await f.hush.app.inject({ method: 'POST', url: '/api/secret', payload: { secret: 'h' } }),
    );
    const head = await f.hush.app.inject({ method: 'HEAD', url: `/api/secret/${secret_key}` });
    expect(head.statusCode).toBe(404);
    expect(json(await f.hush.app.inject({ method: 'GET', url: `/api/secret/${secret_key}` }))).toEqual({
      secret: 'h',
    });
  });

  it('DELETE /api/secret/{key} answers 200 with an empty body; the passphrase guards it', async () => {
    const plain = json(
      await f.hush.app.inject({ method: 'POST', url: '/api/secret', payload: { secret: 'x' } }),
    );
    const del = await f.hush.app.inject({
      method: 'DELETE',
      url: `/api/secret/${plain.secret_key}`,
      headers: { accept: 'application/json' },
    });
    expect(del.statusCode).toBe(200);
    expect(del.body).toBe('');
    expect(
      (await f.hush.app.inject({ method: 'GET', url: `/api/secret/${plain.secret_key}` })).statusCode,
    ).toBe(404);

    const guarded = json(
      await f.hush.app.inject({
        method: 'POST',
        url: '/api/secret',
        payload: { secret: 'y', passphrase: 'pp' },
      }),
    );
    const url = `/api/secret/${guarded.secret_key}`;
    expect((await f.hush.app.inject({ method: 'DELETE', url })).statusCode).toBe(401);
    expect(
      (await f.hush.app.inject({ method: 'DELETE', url, payload: { passphrase: 'no' } })).statusCode,
    ).toBe(403);
    expect(
      (await f.hush.app.inject({ method: 'DELETE', url, payload: { passphrase: 'pp' } })).statusCode,
    ).toBe(200);
  });

  it('GET /api/event?page=1&page_size=1 answers {total, size, events} in the seed shape (admin only)', async () => {
    expect(
      (await f.hush.app.inject({ method: 'GET', url: '/api/event?page=1&page_size=1' })).statusCode,
    ).toBe(401);
    const res = await f.hush.app.inject({
      method: 'GET',
      url: '/api/event?page=1&page_size=1',
      headers: { accept: 'application/json', ...f.adminAuth },
    });
    expect(res.statusCode).toBe(200);
    const body = json<{ total: number; size: number; events: Record<string, unknown>[] }>(res);
    expect(body.total).toBeGreaterThanOrEqual(6);
    expect(body.size).toBe(body.total); // pages at page_size=1
    expect(body.events).toHaveLength(1);
    const [event] = body.events;
    expect(Object.keys(event ?? {}).sort()).toEqual(
      ['client_ip', 'client_user_agent', 'created_at', 'id', 'secret_id', 'type'].sort(),
    );
    expect(event).toMatchObject({
      type: 'DELETE',
      client_ip: '127.0.0.1',
      client_user_agent: 'lightMyRequest',
    });
    const events = json<{ events: { type: string; secret_id: string | null }[] }>(
      await f.hush.app.inject({
        method: 'GET',
        url: '/api/event?page=1&page_size=100',
        headers: f.adminAuth,
      }),
    ).events;
    const typesOf = (list: typeof events) => new Set(list.map((e) => e.type));
    expect(typesOf(events.filter((e) => e.secret_id !== null))).toEqual(
      new Set(['CREATE', 'READ', 'DELETE', 'PASSPHRASE_FAILED']),
    );
    // The rest is the fixture's admin account: created at bootstrap, then signed in.
    expect(typesOf(events.filter((e) => e.secret_id === null))).toEqual(
      new Set(['USER_CREATE', 'LOGIN', 'TOKEN_CREATE']),
    );
  });
});

describe('seed 002 (/generate, /secrets/{secret_key})', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f.close());

  it('generates with a passphrase and reads once with it', async () => {
    const gen = await f.hush.app.inject({
      method: 'POST',
      url: '/generate',
      payload: { secret: 'launch codes', passphrase: 'swordfish', ttl_seconds: 120 },
    });
    expect(gen.statusCode).toBe(201);
    const { secret_key } = json(gen);
    expect(Object.keys(json(gen))).toEqual(['secret_key']);

    const wrong = await f.hush.app.inject({
      method: 'POST',
      url: `/secrets/${secret_key}`,
      payload: { passphrase: 'x' },
    });
    expect(wrong.statusCode).toBe(403);
    const read = await f.hush.app.inject({
      method: 'POST',
      url: `/secrets/${secret_key}`,
      payload: { passphrase: 'swordfish' },
    });
    expect(read.statusCode).toBe(200);
    expect(json(read)).toEqual({ secret: 'launch codes' });
    const again = await f.hush.app.inject({
      method: 'POST',
      url: `/secrets/${secret_key}`,
      payload: { passphrase: 'swordfish' },
    });
    expect(again.statusCode).toBe(404);
  });

  it('requires the passphrase, as the seed does', async () => {
    const res = await f.hush.app.inject({ method: 'POST', url: '/generate', payload: { secret: 's' } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toBe('bad_request');
  });

  it('shares one store with the native API', async () => {
    const { secret_key } = json(
      await f.hush.app.inject({
        method: 'POST',
        url: '/generate',
        payload: { secret: 'both', passphrase: 'pw' },
      }),
    );
    const peek = json(await f.hush.app.inject({ method: 'GET', url: `/api/v1/shares/${secret_key}` }));
    expect(peek).toMatchObject({ passphrase_required: true, views_left: 1 });
  });
});
