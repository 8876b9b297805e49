import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  bearer,
  type HushFixture,
  json,
  makeHush,
} from './helpers/hush-fixture.js';

/** The token routes take JSON and form bodies: JSON is typed strictly, form text is coerced. */
describe('token routes: body types', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(async () => f?.close());

  const create = (payload: Record<string, unknown>) =>
    f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      payload: { grant_type: 'password', username: ADMIN_USERNAME, password: ADMIN_PASSWORD, ...payload },
    });

  it.each([
    { max_uses: '5' },
    { bind_ip: 'true' },
    { ttl_seconds: '600' },
    { max_ttl_seconds: '600' },
    { max_uses: '5', bind_ip: 'true' },
    { username: 5 },
    { bind_ip: 1 },
  ])('refuses a JSON body with %j: a string is not a number, nor a boolean', async (fields) => {
    const res = await create(fields);
    expect(res.statusCode, res.body).toBe(400);
    expect(json(res)).toMatchObject({ error: 'bad_request', request_id: expect.any(String) });
    expect(json(res).access_token).toBeUndefined();
  });

  it('refuses strings for numbers on renew and revoke JSON bodies too', async () => {
    for (const url of ['/api/v1/token/renew', '/api/v1/token/revoke']) {
      const res = await f.hush.app.inject({ method: 'POST', url, payload: { refresh_token: 12, token: 12 } });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(json(res).error).toBe('bad_request');
    }
  });

  it('takes JSON numbers and booleans as they are', async () => {
    const res = await create({ max_uses: 5, bind_ip: true, ttl_seconds: 600 });
    expect(res.statusCode, res.body).toBe(200);
    const self = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/token/lookup-self',
      headers: bearer(String(json(res).access_token)),
    });
    expect(json(self)).toMatchObject({ uses_left: 4, bound_cidrs: ['127.0.0.1/32'] });
  });

  it('coerces a form-encoded body, whose fields are all text', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'password',
        username: ADMIN_USERNAME,
        password: ADMIN_PASSWORD,
        max_uses: '5',
        bind_ip: 'true',
        ttl_seconds: '600',
      }).toString(),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ expires_in: 600 });
    const self = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/token/lookup-self',
      headers: bearer(String(json(res).access_token)),
    });
    expect(json(self)).toMatchObject({ uses_left: 4, bound_cidrs: ['127.0.0.1/32'] });
    // Form text that is no number is still refused.
    const bad = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=password&username=${ADMIN_USERNAME}&password=x&max_uses=five`,
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error).toBe('bad_request');
  });
});
