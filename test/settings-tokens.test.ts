import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userIdentity } from '../src/auth/token-identity.js';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  type HushFixture,
  json,
  makeHush,
  type TokenReply,
} from './helpers/hush-fixture.js';

/**
 * The token and sign-in settings, changed through the admin API, change what signing in hands
 * out: each case probes at the default, changes the setting, and probes again.
 */
describe('token settings change behaviour', () => {
  let f: HushFixture;
  beforeEach(async () => {
    f = await makeHush();
  });
  afterEach(async () => f?.close());

  const set = async (key: string, value: unknown) => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/sys/setting',
      headers: f.adminAuth,
      payload: { key, value },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const signIn = (extra: Record<string, unknown> = {}) =>
    f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/create',
      payload: { grant_type: 'password', username: ADMIN_USERNAME, password: ADMIN_PASSWORD, ...extra },
    });
  const tokens = async (extra: Record<string, unknown> = {}) => json<TokenReply>(await signIn(extra));

  it('tokens.access_ttl_seconds: the default lifetime and the ceiling of ttl_seconds', async () => {
    expect((await tokens()).expires_in).toBe(3600);
    expect((await signIn({ ttl_seconds: 600 })).statusCode).toBe(200);
    await set('tokens.access_ttl_seconds', 300);
    expect((await tokens()).expires_in).toBe(300);
    const over = await signIn({ ttl_seconds: 600 });
    expect(over.statusCode).toBe(400);
    expect(json(over).message).toMatch(/tokens.access_ttl_seconds/);
  });

  it('tokens.refresh_ttl_seconds: the refresh token lifetime', async () => {
    expect((await tokens()).refresh_expires_in).toBe(7 * 86_400);
    await set('tokens.refresh_ttl_seconds', 7200);
    expect((await tokens()).refresh_expires_in).toBe(7200);
  });

  it('tokens.max_ttl_seconds: caps every token of a session and the requested max TTL', async () => {
    expect((await signIn({ max_ttl_seconds: 86_400 })).statusCode).toBe(200);
    await set('tokens.access_ttl_seconds', 600);
    await set('tokens.refresh_ttl_seconds', 600);
    await set('tokens.max_ttl_seconds', 900);
    const capped = await tokens();
    expect([capped.expires_in, capped.refresh_expires_in]).toEqual([600, 600]);
    expect((await signIn({ max_ttl_seconds: 86_400 })).statusCode).toBe(400);
    const short = await tokens({ max_ttl_seconds: 120 });
    expect([short.expires_in, short.refresh_expires_in]).toEqual([120, 120]);
  });

  it('github.max_ttl_seconds: sessions from GitHub sign-in end sooner', async () => {
    const user = await f.hush.users.get(ADMIN_USERNAME);
    const viaGithub = () =>
      f.hush.tokens.issue(userIdentity(user), {
        method: 'github',
        client: { ip: '127.0.0.1', userAgent: undefined },
      });
    expect((await viaGithub()).refreshExpiresIn).toBe(8 * 3600);
    await set('github.max_ttl_seconds', 600);
    expect((await viaGithub()).refreshExpiresIn).toBe(600);
    expect((await tokens()).refresh_expires_in).toBe(7 * 86_400);
  });

  it('auth.password_login: false refuses the password grant', async () => {
    expect((await signIn()).statusCode).toBe(200);
    await set('auth.password_login', false);
    const refused = await signIn();
    expect(refused.statusCode).toBe(400);
    expect(json(refused).error).toBe('unsupported_grant_type');
    // Tokens already issued keep working: the setting is about signing in.
    const self = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/token/lookup-self',
      headers: f.adminAuth,
    });
    expect(self.statusCode).toBe(200);
  });
});
