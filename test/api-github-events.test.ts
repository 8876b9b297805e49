import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, makeBackend } from './conformance/backend-matrix.js';
import { failSqlEvents } from './conformance/event-faults.js';
import { bearer, type HushFixture, json, makeHush, type TokenReply } from './helpers/hush-fixture.js';
import { type FakeGithub, startFakeGithub } from './servers/fake-github.js';

/** A GitHub sign-in's session and its auth.login are one step: both are stored, or neither. */
describe.each(['sqlite', 'postgres'] as const)('GitHub sign-in and its events on %s', (name) => {
  let fake: FakeGithub;
  let backend: Backend;
  let fixture: HushFixture;
  const app = () => fixture.hush.app;

  beforeAll(async () => {
    fake = await startFakeGithub();
    backend = await makeBackend(name);
    fixture = await makeHush({
      ...backend.env,
      HUSH_PUBLIC_URL: 'http://hush.test',
      HUSH_GITHUB_CLIENT_ID: fake.clientId,
      HUSH_GITHUB_CLIENT_SECRET: fake.clientSecret,
      HUSH_GITHUB_OAUTH_URL: fake.url,
      HUSH_GITHUB_API_URL: fake.url,
    });
    const mapped = await app().inject({
      method: 'POST',
      url: '/api/v1/sys/setting',
      headers: fixture.adminAuth,
      payload: { key: 'github.role_mapping', value: { 'org:acme': 'user' } },
    });
    expect(mapped.statusCode, mapped.body).toBe(200);
  });
  afterAll(async () => {
    await fixture?.close();
    backend?.cleanup();
    await fake?.close();
  });

  const exchange = (githubToken: string) =>
    app().inject({
      method: 'POST',
      url: '/api/v1/auth/github/exchange',
      payload: { github_token: githubToken },
    });
  const sessionsOf = async (tokens: TokenReply) =>
    json<{ sessions: { id: string }[] }>(
      await app().inject({
        method: 'GET',
        url: '/api/v1/token/sessions',
        headers: bearer(tokens.access_token),
      }),
    ).sessions.map((s) => s.id);
  const subjectsOf = async (type: string) =>
    (await fixture.hush.audit.list({ type }, 1, 100)).events.map((e) => e.subject?.id);

  it('stores auth.login with the session it started, beside its token.created', async () => {
    const signedIn = await exchange(fake.setAccount({ id: 41, login: 'quinn', orgs: ['acme'] }));
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const { session_id } = json<TokenReply>(signedIn);
    expect(await subjectsOf('auth.login')).toContain(session_id);
    expect(await subjectsOf('token.created')).toContain(session_id);
  });

  it('leaves no session when its auth.login cannot be stored', async () => {
    const githubToken = fake.setAccount({ id: 42, login: 'rosa', orgs: ['acme'] });
    // The account exists before the fault: the refused step is the session's.
    const first = json<TokenReply>(await exchange(githubToken));
    // Only auth.login refused: token.created alone would have let the session through.
    const undo = await failSqlEvents(backend, 'auth.login');
    try {
      // A refused insert is an internal error (a database out of reach would be 503).
      expect((await exchange(githubToken)).statusCode).toBe(500);
    } finally {
      await undo();
    }
    expect(await sessionsOf(first)).toEqual([first.session_id]);
  });
});
