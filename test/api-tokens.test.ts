import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBearerToken } from '../src/auth/token-text.js';
import { createLogger } from '../src/logging/logger.js';
import { createSweepJob } from '../src/workers/share-sweeper.js';
import { createWorkerRunner } from '../src/workers/worker-runner.js';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  bearer,
  type HushFixture,
  json,
  login,
  makeHush,
} from './helpers/hush-fixture.js';
import { storeMachineSession } from './helpers/machine-session.js';

describe('token endpoints', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(async () => f?.close());

  const lookup = (token: string, ip?: string) =>
    f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/token/lookup-self',
      headers: bearer(token),
      ...(ip && { remoteAddress: ip }),
    });

  it('signs in with a form-encoded password grant and looks itself up', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=password&username=${ADMIN_USERNAME}&password=${encodeURIComponent(ADMIN_PASSWORD)}&scope=admin&ttl_seconds=600`,
    });
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'admin' });
    expect(String(body.access_token)).toMatch(/^hush_at_[A-Za-z0-9_-]{43}$/);
    expect(String(body.refresh_token)).toMatch(/^hush_rt_[A-Za-z0-9_-]{43}$/);
    const self = await lookup(String(body.access_token));
    expect(self.statusCode).toBe(200);
    expect(json(self)).toMatchObject({
      user: { kind: 'user', username: 'admin', role: 'admin' },
      scopes: ['admin'],
      uses_left: null,
    });
  });

  it('names the principal kind at lookup-self; a machine sharing an account id sees only its own', async () => {
    const admin = await f.hush.users.get(ADMIN_USERNAME);
    const machine = await storeMachineSession(f.hush.storage, admin.id);
    expect(json(await lookup(machine.access))).toMatchObject({
      user: { kind: 'machine', id: admin.id },
      session_id: machine.sessionId,
    });
    const sessions = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/token/sessions',
      headers: bearer(machine.access),
    });
    expect(json<{ sessions: { id: string }[] }>(sessions).sessions.map((s) => s.id)).toEqual([
      machine.sessionId,
    ]);
  });

  it('refuses a wrong password with invalid_grant and audits both outcomes', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      payload: { grant_type: 'password', username: ADMIN_USERNAME, password: 'not the password at all' },
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toBe('invalid_grant');
    const events = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/events?type=auth.login_failed',
      headers: f.adminAuth,
    });
    expect(json<{ events: { actor: { name: string } }[] }>(events).events[0]?.actor.name).toBe('admin');
    expect(events.body).not.toContain('not the password');
  });

  it('never records what was typed as a username unless it names an account (a password in the wrong field)', async () => {
    const typed = 'MyS3cretPassw0rd';
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      payload: { grant_type: 'password', username: typed, password: 'whatever it was 0123' },
    });
    expect(res.statusCode).toBe(400);
    const events = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/events?type=auth.login_failed',
      headers: f.adminAuth,
    });
    const newest = json<{ events: Record<string, unknown>[] }>(events).events[0];
    expect(newest).toMatchObject({
      actor: { kind: 'anonymous', id: null, name: null },
      data: { method: 'password', known_account: false },
    });
    expect(events.body).not.toContain(typed);
    expect(events.body.toLowerCase()).not.toContain(typed.toLowerCase());
  });

  it('refuses unknown grant types and scopes beyond the role', async () => {
    const grant = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      payload: { grant_type: 'client_credentials' },
    });
    expect(json(grant).error).toBe('unsupported_grant_type');
    await f.hush.users.create({ username: 'carol', role: 'user', password: 'carol password 0123456789' });
    const scope = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      payload: {
        grant_type: 'password',
        username: 'carol',
        password: 'carol password 0123456789',
        scope: 'admin',
      },
    });
    expect(json(scope).error).toBe('invalid_scope');
  });

  it('renews with rotation; reusing the old refresh token revokes the whole session', async () => {
    const first = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD);
    const renew = (refresh_token: string) =>
      f.hush.app.inject({ method: 'POST', url: '/api/v1/token/renew', payload: { refresh_token } });
    const second = await renew(first.refresh_token);
    expect(second.statusCode).toBe(200);
    const rotated = json<{ access_token: string; refresh_token: string; session_id: string }>(second);
    expect(rotated.session_id).toBe(first.session_id);
    expect((await lookup(rotated.access_token)).statusCode).toBe(200);

    const reuse = await renew(first.refresh_token);
    expect(reuse.statusCode).toBe(400);
    expect(json(reuse).error).toBe('invalid_grant');
    expect((await lookup(rotated.access_token)).statusCode).toBe(401);
    expect((await lookup(first.access_token)).statusCode).toBe(401);
    expect((await renew(rotated.refresh_token)).statusCode).toBe(400);
  });

  it('keeps the chosen access-token lifetime on renewal', async () => {
    const first = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD, { ttl_seconds: 120 });
    expect(first.expires_in).toBe(120);
    const renewed = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/renew',
      payload: { refresh_token: first.refresh_token },
    });
    expect(json(renewed).expires_in).toBe(120);
  });

  it('revokes by access or refresh token, idempotently', async () => {
    const tokens = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD);
    const revoke = (revoke_token: string) =>
      f.hush.app.inject({ method: 'POST', url: '/api/v1/token/revoke', payload: { revoke_token } });
    expect((await revoke(tokens.refresh_token)).statusCode).toBe(200);
    expect((await lookup(tokens.access_token)).statusCode).toBe(401);
    expect((await revoke(tokens.refresh_token)).statusCode).toBe(200);
    expect(json(await revoke('hush_at_not-a-token')).revoked).toBe(true);
  });

  it('lists and revokes the caller’s own sessions only', async () => {
    const a = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD, { client_id: 'cli' });
    const b = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD);
    const list = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/token/sessions',
      headers: bearer(a.access_token),
    });
    const sessions = json<{ sessions: { id: string; current: boolean; client_id: string | null }[] }>(
      list,
    ).sessions;
    expect(sessions.find((s) => s.id === a.session_id)).toMatchObject({ current: true, client_id: 'cli' });
    expect(sessions.some((s) => s.id === b.session_id)).toBe(true);
    const revoke = (session: string, token: string) =>
      f.hush.app.inject({
        method: 'POST',
        url: `/api/v1/token/sessions/${session}/revoke`,
        headers: bearer(token),
      });
    expect((await revoke(b.session_id, a.access_token)).statusCode).toBe(204);
    expect((await lookup(b.access_token)).statusCode).toBe(401);
    const other = await login(f.hush.app, 'carol', 'carol password 0123456789');
    expect((await revoke(a.session_id, other.access_token)).statusCode).toBe(404);
  });

  it('spends max_uses exactly and binds tokens to addresses', async () => {
    const once = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD, { max_uses: 2 });
    // A counted budget is not renewable: no refresh token to refill it with.
    expect(once.refresh_token).toBeUndefined();
    expect(once).not.toHaveProperty('refresh_expires_in');
    expect(json(await lookup(once.access_token)).uses_left).toBe(1);
    expect((await lookup(once.access_token)).statusCode).toBe(200);
    expect((await lookup(once.access_token)).statusCode).toBe(401);

    const bound = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD, {
      bound_cidrs: '10.0.0.0/8, 192.0.2.7',
    });
    expect((await lookup(bound.access_token, '10.1.2.3')).statusCode).toBe(200);
    expect((await lookup(bound.access_token, '192.0.2.7')).statusCode).toBe(200);
    expect((await lookup(bound.access_token, '192.0.2.8')).statusCode).toBe(401);
    expect((await lookup(bound.access_token, '::ffff:10.9.9.9')).statusCode).toBe(200);
    const bad = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      payload: {
        grant_type: 'password',
        username: ADMIN_USERNAME,
        password: ADMIN_PASSWORD,
        bound_cidrs: ['10.0.0.0/33'],
      },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('answers 401 with a challenge without a token and 403 for a missing scope', async () => {
    const none = await f.hush.app.inject({ method: 'GET', url: '/api/v1/events' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const reader = await login(f.hush.app, 'carol', 'carol password 0123456789');
    const events = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/events',
      headers: bearer(reader.access_token),
    });
    expect(events.statusCode).toBe(403);
    expect(json(events).error).toBe('insufficient_scope');
  });
});

describe('sweeping sessions', () => {
  it('deletes a revoked session a day after it ended, with its tokens', async () => {
    const f = await makeHush();
    try {
      const tokens = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD);
      await f.hush.app.inject({
        method: 'POST',
        url: '/api/v1/token/revoke',
        payload: { revoke_token: tokens.access_token },
      });
      const store = f.hush.storage.tokens;
      const hash = (text: string) => parseBearerToken(text)?.hash ?? '';
      expect(await store.find(hash(tokens.access_token))).toBeDefined();
      expect(await store.purgeEnded(Date.now() - 86_400_000, 100)).toBe(0);
      const runner = createWorkerRunner({ locks: f.hush.storage.locks, logger: createLogger('silent') });
      const sweeper = runner.add(
        createSweepJob({
          store: f.hush.storage.shares,
          sessions: store,
          audit: f.hush.audit,
          settings: { current: () => ({ ...f.config.shares, requireSignIn: false }) },
          logger: createLogger('silent'),
          intervalMs: 60_000,
          batchSize: 10,
          eventRetentionSeconds: () => 0,
          now: () => Date.now() + 86_400_000 + 1000,
        }),
      );
      expect((await sweeper.runOnce()).sessionsPurged).toBeGreaterThanOrEqual(1);
      expect(await store.find(hash(tokens.access_token))).toBeUndefined();
      expect(await store.find(hash(tokens.refresh_token))).toBeUndefined();
    } finally {
      await f.close();
    }
  });
});
