import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  bearer,
  type HushFixture,
  json,
  makeHush,
} from './helpers/hush-fixture.js';
import { type NodeStorage, nodeStorageEnv } from './helpers/node-storage.js';

/**
 * Seed 003's documented endpoints, replayed in the seed's order at the seed's paths, on every
 * backend: sign in (the OAuth2 form), renew, revoke, users, secrets and settings.
 */
const BACKENDS: readonly NodeStorage[] = ['sqlite', 'postgres', 'redis'];

describe.each(BACKENDS)('seed 003 endpoints (%s)', (backend) => {
  let f: HushFixture;
  const state: { access: string; refresh: string; secretId: string } = {
    access: '',
    refresh: '',
    secretId: '',
  };
  const auth = () => bearer(state.access);

  beforeAll(async () => {
    f = await makeHush(await nodeStorageEnv(backend));
  });
  afterAll(async () => f?.close());

  it('POST /api/v1/token/create: the password grant with every documented field, form-encoded', async () => {
    const form = new URLSearchParams({
      grant_type: 'password',
      username: ADMIN_USERNAME,
      password: ADMIN_PASSWORD,
      scope: 'secrets:read secrets:write admin',
      client_id: 'seed-client',
      client_secret: 'seed-client-secret',
    });
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    expect(res.statusCode).toBe(200);
    const body = json<{ access_token: string; refresh_token: string; token_type: string }>(res);
    expect(body.token_type).toBe('Bearer');
    state.access = body.access_token;
    state.refresh = body.refresh_token;
  });

  it('POST /api/v1/token/renew {refresh_token}', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/renew',
      payload: { refresh_token: state.refresh },
    });
    expect(res.statusCode).toBe(200);
    const body = json<{ access_token: string; refresh_token: string }>(res);
    expect(body.refresh_token).not.toBe(state.refresh);
    state.access = body.access_token;
    state.refresh = body.refresh_token;
  });

  it('POST /api/v1/users/create {username, email, role, password}', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/users/create',
      headers: auth(),
      payload: {
        username: 'seeduser',
        email: 'seed@example.com',
        role: 'user',
        password: 'seed user password 01',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ username: 'seeduser', email: 'seed@example.com', role: 'user' });
    expect(res.body).not.toContain('password');
  });

  it('POST /api/v1/secrets/create {name, value, metadata, ttl_seconds}', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/secrets/create',
      headers: auth(),
      payload: {
        name: 'apps/billing/db-password',
        value: 'hunter2',
        metadata: { owner: 'billing' },
        ttl_seconds: 3600,
      },
    });
    expect(res.statusCode).toBe(201);
    const body = json<{ id: string; name: string; version: number }>(res);
    expect(body).toMatchObject({ name: 'apps/billing/db-password', version: 1 });
    state.secretId = body.id;
  });

  it('GET /api/v1/secrets/{secret_id}', async () => {
    const res = await f.hush.app.inject({
      method: 'GET',
      url: `/api/v1/secrets/${state.secretId}`,
      headers: auth(),
    });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ value: 'hunter2', metadata: { owner: 'billing' }, version: 1 });
  });

  it('GET /api/v1/secrets (no values)', async () => {
    const res = await f.hush.app.inject({ method: 'GET', url: '/api/v1/secrets', headers: auth() });
    expect(res.statusCode).toBe(200);
    expect(json<{ secrets: { id: string }[] }>(res).secrets.map((s) => s.id)).toEqual([state.secretId]);
    expect(res.body).not.toContain('hunter2');
  });

  it('GET /api/v1/sys/settings, POST /api/v1/sys/setting, GET /api/v1/sys/setting/{setting_key}', async () => {
    const all = await f.hush.app.inject({ method: 'GET', url: '/api/v1/sys/settings', headers: auth() });
    expect(all.statusCode).toBe(200);
    expect(json<{ settings: { key: string }[] }>(all).settings.map((s) => s.key)).toContain(
      'secrets.max_versions',
    );
    const set = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/sys/setting',
      headers: auth(),
      payload: { key: 'secrets.max_versions', value: 3 },
    });
    expect(set.statusCode).toBe(200);
    const one = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/sys/setting/secrets.max_versions',
      headers: auth(),
    });
    expect(json(one)).toMatchObject({ key: 'secrets.max_versions', value: 3 });
  });

  it('POST /api/v1/users/{username}/delete', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/users/seeduser/delete',
      headers: auth(),
    });
    expect(res.statusCode).toBe(204);
    const again = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/users/seeduser/delete',
      headers: auth(),
    });
    expect(again.statusCode).toBe(404);
  });

  it('POST /api/v1/token/revoke {revoke_token}: the token stops working', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/revoke',
      payload: { revoke_token: state.access },
    });
    expect(res.statusCode).toBe(200);
    const after = await f.hush.app.inject({ method: 'GET', url: '/api/v1/secrets', headers: auth() });
    expect(after.statusCode).toBe(401);
  });
});
