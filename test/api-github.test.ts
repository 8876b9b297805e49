import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type HushFixture, json, makeHush, type TokenReply } from './helpers/hush-fixture.js';
import { type FakeGithub, startFakeGithub } from './servers/fake-github.js';

const PUBLIC_URL = 'http://hush.test';

describe('GitHub sign-in over HTTP (against the fake GitHub)', () => {
  let fake: FakeGithub;
  let fixture: HushFixture;
  const app = () => fixture.hush.app;

  beforeAll(async () => {
    fake = await startFakeGithub();
    fixture = await makeHush({
      HUSH_PUBLIC_URL: PUBLIC_URL,
      HUSH_TRUST_PROXY: 'true',
      HUSH_GITHUB_CLIENT_ID: fake.clientId,
      HUSH_GITHUB_CLIENT_SECRET: fake.clientSecret,
      HUSH_GITHUB_OAUTH_URL: fake.url,
      HUSH_GITHUB_API_URL: fake.url,
    });
    await setMapping({ 'org:acme': 'user', 'team:acme/ops': 'admin' });
  });
  afterAll(async () => {
    await fixture?.close();
    await fake?.close();
  });

  async function setMapping(value: Record<string, string>) {
    const res = await app().inject({
      method: 'POST',
      url: '/api/v1/sys/setting',
      headers: fixture.adminAuth,
      payload: { key: 'github.role_mapping', value },
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  /** The browser's side: hush's redirect and cookie, GitHub's authorize page, back to the callback. */
  async function startFlow(as: string, headers: Record<string, string> = {}) {
    const start = await app().inject({ method: 'GET', url: '/api/v1/auth/github/login', headers });
    expect(start.statusCode).toBe(302);
    const cookie = String(start.headers['set-cookie']).split(';')[0] ?? '';
    fake.signIn(as);
    const authorize = await fetch(String(start.headers.location), { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location') ?? '');
    expect(`${callback.origin}${callback.pathname}`).toBe(`${PUBLIC_URL}/api/v1/auth/github/callback`);
    return { start, cookie, callbackPath: `${callback.pathname}${callback.search}`, callback };
  }
  const callback = (path: string, cookie?: string) =>
    app().inject({ method: 'GET', url: path, headers: cookie === undefined ? {} : { cookie } });
  const exchange = (githubToken: string) =>
    app().inject({
      method: 'POST',
      url: '/api/v1/auth/github/exchange',
      payload: { github_token: githubToken },
    });
  const whoami = async (tokens: TokenReply) =>
    json<{ user: { username: string; role: string } }>(
      await app().inject({
        method: 'GET',
        url: '/api/v1/token/lookup-self',
        headers: bearer(tokens.access_token),
      }),
    ).user;
  const events = async (type: string) =>
    (await fixture.hush.audit.list({ type }, 1, 100)).events.map((e) => ({
      actor: e.actor.name,
      data: e.data,
    }));

  it('runs the web flow: redirect with a bound cookie, callback answers hush tokens', async () => {
    fake.setAccount({ id: 1, login: 'Alice', orgs: ['acme'] });
    const flow = await startFlow('alice');
    const location = new URL(String(flow.start.headers.location));
    expect(location.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/api/v1/auth/github/callback`);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    const setCookie = String(flow.start.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^hush_github_state=[A-Za-z0-9_-]{43}; Path=\/api\/v1\/auth\/github; Max-Age=600;/,
    );
    expect(setCookie).toContain('HttpOnly; SameSite=Lax');
    expect(setCookie).not.toContain('Secure');
    expect(flow.cookie.split('=')[1]).toBe(location.searchParams.get('state'));

    const res = await callback(flow.callbackPath, flow.cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(String(res.headers['set-cookie'])).toMatch(
      /^hush_github_state=; Path=\/api\/v1\/auth\/github; Max-Age=0;/,
    );
    const tokens = json<TokenReply>(res);
    expect(Object.keys(tokens).sort()).toEqual(
      [
        'access_token',
        'expires_in',
        'refresh_expires_in',
        'refresh_token',
        'scope',
        'session_id',
        'token_type',
      ].sort(),
    );
    expect(await whoami(tokens)).toMatchObject({ username: 'gh.alice', role: 'user' });
    expect(await events('auth.login')).toContainEqual({ actor: 'gh.alice', data: { method: 'github' } });
  });

  it('marks the cookie Secure when the request came over HTTPS', async () => {
    const res = await app().inject({
      method: 'GET',
      url: '/api/v1/auth/github/login',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
  });

  it('refuses a replayed callback, and one without or with another browser’s cookie', async () => {
    fake.setAccount({ id: 2, login: 'bob', orgs: ['acme'] });
    const flow = await startFlow('bob');
    expect((await callback(flow.callbackPath, flow.cookie)).statusCode).toBe(200);
    const replay = await callback(flow.callbackPath, flow.cookie);
    expect([replay.statusCode, json(replay).error]).toEqual([400, 'github_state_invalid']);

    const noCookie = await startFlow('bob');
    expect(json(await callback(noCookie.callbackPath)).error).toBe('github_state_invalid');
    const attacker = await startFlow('bob');
    const victim = await startFlow('bob');
    // Login CSRF: the attacker's callback link opened in the victim's browser.
    const res = await callback(attacker.callbackPath, victim.cookie);
    expect([res.statusCode, json(res).error]).toEqual([400, 'github_state_invalid']);
    expect(await events('auth.login_failed')).toContainEqual({
      actor: undefined,
      data: { method: 'github', reason: 'github_state_invalid' },
    });
  });

  it('refuses a code issued for another flow: PKCE binds the code to its verifier', async () => {
    fake.setAccount({ id: 3, login: 'carol', orgs: ['acme'] });
    const stolen = await startFlow('carol');
    const mine = await startFlow('carol');
    const path = `/api/v1/auth/github/callback?code=${stolen.callback.searchParams.get('code')}&state=${mine.callback.searchParams.get('state')}`;
    const res = await callback(path, mine.cookie);
    expect([res.statusCode, json(res).error]).toEqual([400, 'github_code_invalid']);
    expect(fake.tokenRequests.at(-1)?.code).toBe(stolen.callback.searchParams.get('code'));
  });

  it('answers 400 when the user cancels at GitHub', async () => {
    const flow = await startFlow('deny');
    const res = await callback(flow.callbackPath, flow.cookie);
    expect([res.statusCode, json(res).error]).toEqual([400, 'github_code_invalid']);
  });

  it('refuses a token that cannot travel in a header as bad input, without calling GitHub', async () => {
    for (const bad of ['a\nb', 'a b', 'tok\u0000en', 'é']) {
      const res = await exchange(bad);
      expect([res.statusCode, json(res).error]).toEqual([400, 'bad_request']);
    }
  });

  it('maps org and team to roles, refuses the unmapped, and demotes at the next sign-in', async () => {
    const token = fake.setAccount({ id: 4, login: 'dave', orgs: ['acme'], teams: ['acme/ops'] });
    const admin = json<TokenReply>(await exchange(token));
    expect(await whoami(admin)).toMatchObject({ username: 'gh.dave', role: 'admin' });

    fake.setAccount({ id: 4, login: 'dave', orgs: ['acme'], teams: [] });
    expect(await whoami(json<TokenReply>(await exchange(token)))).toMatchObject({ role: 'user' });

    const stranger = fake.setAccount({ id: 5, login: 'erin', orgs: ['elsewhere'] });
    const refused = await exchange(stranger);
    expect([refused.statusCode, json(refused).error]).toEqual([403, 'github_not_allowed']);
    expect(await events('auth.login_failed')).toContainEqual({
      actor: 'gh.erin',
      data: { method: 'github', reason: 'github_not_allowed' },
    });

    await setMapping({ 'user:erin': 'admin' });
    expect(await whoami(json<TokenReply>(await exchange(stranger)))).toMatchObject({ role: 'admin' });
    // dave's org is no longer mapped: his next sign-in is refused.
    expect((await exchange(token)).statusCode).toBe(403);
    await setMapping({ 'org:acme': 'user', 'team:acme/ops': 'admin' });
  });

  it('revokes every GitHub session at once when a mapping change may take a role away', async () => {
    const renew = (tokens: TokenReply) =>
      app().inject({
        method: 'POST',
        url: '/api/v1/token/renew',
        payload: { refresh_token: tokens.refresh_token },
      });
    const lookup = async (tokens: TokenReply) =>
      (
        await app().inject({
          method: 'GET',
          url: '/api/v1/token/lookup-self',
          headers: bearer(tokens.access_token),
        })
      ).statusCode;
    const ops = fake.setAccount({ id: 6, login: 'olga', orgs: ['acme'], teams: ['acme/ops'] });
    const member = fake.setAccount({ id: 7, login: 'pat', orgs: ['acme'] });
    const signIn = async () => [
      json<TokenReply>(await exchange(ops)),
      json<TokenReply>(await exchange(member)),
    ];

    // Adding an entry takes nothing away: sessions stay.
    const before = await signIn();
    await setMapping({ 'org:acme': 'user', 'team:acme/ops': 'admin', 'org:oss': 'user' });
    expect(await Promise.all(before.map(lookup))).toEqual([200, 200]);

    // Removing the team entry may: every GitHub session ends, access and refresh; the admin's
    // password session is untouched.
    await setMapping({ 'org:acme': 'user' });
    expect(await Promise.all(before.map(lookup))).toEqual([401, 401]);
    expect((await renew(before[0] as TokenReply)).statusCode).toBe(400);
    expect(
      (await app().inject({ method: 'GET', url: '/api/v1/token/lookup-self', headers: fixture.adminAuth }))
        .statusCode,
    ).toBe(200);
    const [revocation] = await events('token.revoked');
    expect(revocation?.data).toEqual({ sessions: expect.any(Number), reason: 'github.role_mapping changed' });
    expect(revocation?.actor).toBe('admin');
    // The next sign-in takes its role from the new mapping.
    const after = await signIn();
    expect(await whoami(after[0] as TokenReply)).toMatchObject({ username: 'gh.olga', role: 'user' });

    // Setting the same mapping again signs everybody out too: the way to make membership changes
    // made on GitHub count before sessions expire.
    await setMapping({ 'org:acme': 'user' });
    expect(await Promise.all(after.map(lookup))).toEqual([401, 401]);
    await setMapping({ 'org:acme': 'user', 'team:acme/ops': 'admin' });
  });

  it('exchange: refuses an unknown GitHub token (401) and a malformed body (400)', async () => {
    const res = await exchange('gho_not_a_token');
    expect([res.statusCode, json(res).error]).toEqual([401, 'github_token_invalid']);
    const extra = await app().inject({
      method: 'POST',
      url: '/api/v1/auth/github/exchange',
      payload: { github_token: 'x', role: 'admin' },
    });
    expect(extra.statusCode).toBe(400);
  });

  it('answers 502 while GitHub is down, and never logs GitHub tokens, codes, state or the client secret', async () => {
    const token = fake.setAccount({ id: 6, login: 'frank', orgs: ['acme'] });
    fake.outage = 'error';
    try {
      const res = await exchange(token);
      expect([res.statusCode, json(res).error]).toEqual([502, 'github_unavailable']);
    } finally {
      fake.outage = 'none';
    }
    const logs = fixture.logs.join('\n');
    expect(logs).toContain('GET /user: HTTP 500');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(fake.clientSecret);
    for (const request of fake.tokenRequests) expect(logs).not.toContain(request.code);
    expect(logs).not.toMatch(/gho_/);
  });

  it('documents the three routes in the OpenAPI document', async () => {
    const doc = json<{ paths: Record<string, unknown> }>(
      await app().inject({ method: 'GET', url: '/api/openapi.json' }),
    );
    for (const path of ['login', 'callback', 'exchange'])
      expect(doc.paths).toHaveProperty(`/api/v1/auth/github/${path}`);
  });
});

describe('GitHub sign-in when not configured', () => {
  let fixture: HushFixture;
  beforeAll(async () => {
    fixture = await makeHush();
  });
  afterAll(() => fixture?.close());

  it.each([
    ['GET', '/api/v1/auth/github/login'],
    ['GET', '/api/v1/auth/github/callback?code=x&state=y'],
    ['POST', '/api/v1/auth/github/exchange'],
  ] as const)('%s %s answers 404 github_disabled', async (method, url) => {
    const res = await fixture.hush.app.inject({
      method,
      url,
      payload: method === 'POST' ? { github_token: 'x' } : undefined,
    });
    expect([res.statusCode, json(res).error]).toEqual([404, 'github_disabled']);
  });
});
