import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeOf } from '../../../test/helpers/refusal.js';
import { type FakeGithub, startFakeGithub } from '../../../test/servers/fake-github.js';
import { type AuditService, createAuditService } from '../../audit/audit-service.js';
import { loadConfig } from '../../config/config.js';
import { createPassphraseHasher, type PassphraseHasher } from '../../crypto/passphrase-hasher.js';
import {
  type FreshSettingsReader,
  SETTING_DEFINITIONS,
  type SettingsReader,
} from '../../settings/setting-definitions.js';
import { openSqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../../storage/storage.js';
import { createTokenService } from '../token-service.js';
import type { TokenService } from '../token-types.js';
import { createUserService, type UserService } from '../user-service.js';
import type { Role } from '../user-types.js';
import { createGithubClient } from './github-client.js';
import { createGithubLogin, type GithubLogin } from './github-login.js';

const client = { ip: '192.0.2.7', userAgent: 'test' };
const redirectUrl = 'http://hush.test/api/v1/auth/github/callback';

describe('GitHub sign-in service', () => {
  let dir: string;
  let storage: SqlStorage;
  let hasher: PassphraseHasher;
  let fake: FakeGithub;
  let users: UserService;
  let tokens: TokenService;
  let audit: AuditService;
  let github: GithubLogin;
  let clock = Date.now();
  let mapping: Record<string, Role> = {};
  let versioned = mapping;
  let version = 0;
  /** Runs at each read of the stored mapping (a change landing while a sign-in runs). */
  let onFreshRead: () => void = () => {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-github-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    hasher = createPassphraseHasher({ threads: 1 });
    fake = await startFakeGithub();
    const config = loadConfig({});
    const settings: SettingsReader & FreshSettingsReader = {
      get: (key) =>
        (key === 'github.role_mapping' ? mapping : SETTING_DEFINITIONS[key].fallback(config)) as never,
      // Like the store: every change (a new object assigned to `mapping`) bumps the version.
      fresh: async (key) => {
        if (mapping !== versioned) {
          versioned = mapping;
          version += 1;
        }
        const read = { value: settings.get(key), version };
        onFreshRead();
        return read;
      },
    };
    audit = createAuditService({ events: storage.events });
    users = createUserService({ store: storage.users, hasher, audit });
    tokens = createTokenService({ store: storage.tokens, users, audit, settings });
    github = createGithubLogin({
      config: {
        clientId: fake.clientId,
        clientSecret: fake.clientSecret,
        oauthUrl: fake.url,
        apiUrl: fake.url,
        redirectUrl,
      },
      client: createGithubClient({ ...fake, oauthUrl: fake.url, apiUrl: fake.url }),
      states: storage.oauthStates,
      users,
      tokens,
      audit,
      settings,
      now: () => clock,
    });
  });
  afterAll(async () => {
    await fake?.close();
    await hasher?.close();
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    clock = Date.now();
    mapping = { 'org:acme': 'user', 'team:acme/ops': 'admin' };
    onFreshRead = () => {};
  });

  /** Starts a flow and follows it through the fake's authorize page as `login`. */
  const authorize = async (login: string) => {
    const flow = await github.start();
    fake.signIn(login);
    const answer = await fetch(flow.authorizeUrl, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location') ?? '');
    const param = (name: string) => back.searchParams.get(name) ?? undefined;
    return { flow, code: param('code'), state: param('state'), error: param('error') };
  };
  const finish = (a: Awaited<ReturnType<typeof authorize>>, browserState = a.flow.state) =>
    github.callback({ code: a.code, state: a.state, error: a.error, browserState, client });
  const lastEvents = async (n: number) =>
    (await audit.list({}, 1, n)).events.map((e) => ({ type: e.type, actor: e.actor.name, data: e.data }));

  it('sends the browser to GitHub with the client id, callback, scopes, state and an S256 challenge', async () => {
    const { authorizeUrl, state } = await github.start();
    const url = new URL(authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/login/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: fake.clientId,
      redirect_uri: redirectUrl,
      scope: 'read:org read:user',
      state,
      code_challenge_method: 'S256',
    });
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('signs a mapped org member in as gh.<login>, creating the account once, and audits LOGIN', async () => {
    fake.setAccount({ id: 101, login: 'Alice', email: 'alice@example.com', orgs: ['acme'] });
    const issued = await finish(await authorize('alice'));
    expect(issued.tokenType).toBe('Bearer');
    const principal = await tokens.authenticate(issued.accessToken, client.ip);
    expect(principal).toMatchObject({ kind: 'user', name: 'gh.alice', role: 'user' });
    expect(await users.get('gh.alice')).toMatchObject({ email: 'alice@example.com', role: 'user' });
    expect(await lastEvents(3)).toEqual([
      // One step, in the password grant's order: auth.login, then token.created (listed newest first).
      expect.objectContaining({ type: 'token.created', actor: 'gh.alice' }),
      { type: 'auth.login', actor: 'gh.alice', data: { method: 'github' } },
      {
        type: 'user.created',
        actor: 'gh.alice',
        data: { username: 'gh.alice', role: 'user', via: 'github' },
      },
    ]);
    await finish(await authorize('alice'));
    expect((await users.list(0, 100)).users.filter((u) => u.username === 'gh.alice')).toHaveLength(1);
  });

  it('re-evaluates the role at each sign-in: team admin, then demoted when the team is left', async () => {
    // Another admin: bob is not the last one, so he may lose the role.
    await users.create({ username: 'root', role: 'admin', password: 'root password 0123456789' });
    fake.setAccount({ id: 102, login: 'bob', orgs: ['acme'], teams: ['acme/ops'] });
    const first = await finish(await authorize('bob'));
    expect((await tokens.authenticate(first.accessToken, client.ip)).role).toBe('admin');
    expect(first.scope).toContain('admin');

    fake.setAccount({ id: 102, login: 'bob', orgs: ['acme'], teams: [] });
    const second = await finish(await authorize('bob'));
    expect(second.scope).not.toContain('admin');
    expect((await users.get('gh.bob')).role).toBe('user');
    // The role of the account now, so the earlier session lost admin too.
    expect((await tokens.authenticate(first.accessToken, client.ip)).role).toBe('user');
    expect(await lastEvents(3)).toContainEqual({
      type: 'user.role_changed',
      actor: 'gh.bob',
      data: { from: 'admin', to: 'user', via: 'github' },
    });
  });

  it('refuses the sign-in that would demote the last admin (409 last_admin), who stays admin', async () => {
    fake.setAccount({ id: 190, login: 'zed', orgs: ['acme'], teams: ['acme/ops'] });
    await finish(await authorize('zed'));
    await users.delete('root');
    expect((await users.list(0, 100)).users.filter((u) => u.role === 'admin').map((u) => u.username)).toEqual(
      ['gh.zed'],
    );
    fake.setAccount({ id: 190, login: 'zed', orgs: ['acme'], teams: [] });
    expect(await codeOf(finish(await authorize('zed')))).toBe('last_admin');
    expect((await users.get('gh.zed')).role).toBe('admin');
    expect(await lastEvents(1)).toEqual([
      { type: 'auth.login_failed', actor: 'gh.zed', data: { method: 'github', reason: 'last_admin' } },
    ]);
  });

  it('refuses an account no mapping entry matches, audited as LOGIN_FAILED, and creates nothing', async () => {
    fake.setAccount({ id: 103, login: 'mallory', orgs: ['evil'] });
    expect(await codeOf(finish(await authorize('mallory')))).toBe('github_not_allowed');
    expect(await codeOf(users.get('gh.mallory'))).toBe('not_found');
    expect(await lastEvents(1)).toEqual([
      {
        type: 'auth.login_failed',
        actor: 'gh.mallory',
        data: { method: 'github', reason: 'github_not_allowed' },
      },
    ]);
    mapping = { 'user:mallory': 'user' };
    await finish(await authorize('mallory'));
    expect((await users.get('gh.mallory')).role).toBe('user');
  });

  it('links by GitHub id: a renamed login keeps its account; the old name taken by another is 409', async () => {
    fake.setAccount({ id: 104, login: 'carol', orgs: ['acme'] });
    const before = await finish(await authorize('carol'));
    fake.setAccount({ id: 104, login: 'carol-renamed', orgs: ['acme'] });
    const after = await finish(await authorize('carol-renamed'));
    const [a, b] = await Promise.all([
      tokens.authenticate(before.accessToken, client.ip),
      tokens.authenticate(after.accessToken, client.ip),
    ]);
    expect(b.id).toBe(a.id);
    expect(b.name).toBe('gh.carol');

    fake.setAccount({ id: 105, login: 'carol', orgs: ['acme'] });
    expect(await codeOf(finish(await authorize('carol')))).toBe('username_taken');
    expect(await lastEvents(1)).toEqual([
      { type: 'auth.login_failed', actor: 'gh.carol', data: { method: 'github', reason: 'username_taken' } },
    ]);
  });

  it('spends the state once: a replayed callback fails, even with a fresh code', async () => {
    fake.setAccount({ id: 106, login: 'dave', orgs: ['acme'] });
    const started = await authorize('dave');
    await finish(started);
    const again = await authorize('dave');
    expect(await codeOf(finish({ ...again, state: started.state }, started.flow.state))).toBe(
      'github_state_invalid',
    );
    expect(await lastEvents(1)).toEqual([
      {
        type: 'auth.login_failed',
        actor: undefined,
        data: { method: 'github', reason: 'github_state_invalid' },
      },
    ]);
  });

  it('refuses a callback from another browser, with no state, an unknown one, or an expired one', async () => {
    fake.setAccount({ id: 107, login: 'erin', orgs: ['acme'] });
    const other = await authorize('erin');
    expect(await codeOf(finish(other, (await github.start()).state))).toBe('github_state_invalid');
    // The state was spent by that attempt: the right browser cannot use it afterwards either.
    expect(await codeOf(finish(other))).toBe('github_state_invalid');

    const noCookie = await authorize('erin');
    expect(await codeOf(github.callback({ ...noCookie, browserState: undefined, client }))).toBe(
      'github_state_invalid',
    );
    expect(await codeOf(finish({ ...noCookie, state: undefined }))).toBe('github_state_invalid');
    expect(await codeOf(finish({ ...noCookie, state: 'x'.repeat(43) }, 'x'.repeat(43)))).toBe(
      'github_state_invalid',
    );

    const late = await authorize('erin');
    clock += 601_000;
    expect(await codeOf(finish(late))).toBe('github_state_invalid');
  });

  it('refuses a sign-in the user cancelled at GitHub, and a code GitHub rejects', async () => {
    const denied = await authorize('deny');
    expect(denied.error).toBe('access_denied');
    expect(await codeOf(finish(denied))).toBe('github_code_invalid');
    const forged = await authorize('erin');
    expect(await codeOf(finish({ ...forged, code: 'forged' }))).toBe('github_code_invalid');
  });

  it('exchanges a GitHub token for hush tokens, and refuses a token GitHub does not know', async () => {
    const token = fake.setAccount({ id: 108, login: 'frank', orgs: ['ACME'] });
    const issued = await github.exchange(token, client);
    expect((await tokens.authenticate(issued.accessToken, client.ip)).name).toBe('gh.frank');
    expect(await codeOf(github.exchange('gho_nope', client))).toBe('github_token_invalid');
    expect(await lastEvents(1)).toEqual([
      {
        type: 'auth.login_failed',
        actor: undefined,
        data: { method: 'github', reason: 'github_token_invalid' },
      },
    ]);
  });

  it('revokes a session issued on a mapping that changed meanwhile, and signs in on the new one', async () => {
    const token = fake.setAccount({ id: 109, login: 'grace', orgs: ['acme'], teams: ['acme/ops'] });
    let reads = 0;
    // The first read sees team admin; an admin's change lands before the session exists.
    onFreshRead = () => {
      reads += 1;
      if (reads === 1) mapping = { 'org:acme': 'user' };
    };
    const issued = await github.exchange(token, client);
    expect((await tokens.authenticate(issued.accessToken, client.ip)).role).toBe('user');
    expect((await users.get('gh.grace')).role).toBe('user');
    const principal = await tokens.authenticate(issued.accessToken, client.ip);
    expect(await tokens.listSessions(principal)).toHaveLength(1);
    expect(await lastEvents(4)).toEqual([
      // One step, in the password grant's order: auth.login, then token.created (listed newest first).
      expect.objectContaining({ type: 'token.created', actor: 'gh.grace' }),
      { type: 'auth.login', actor: 'gh.grace', data: { method: 'github' } },
      expect.objectContaining({
        type: 'user.role_changed',
        actor: 'gh.grace',
        data: { from: 'admin', to: 'user', via: 'github' },
      }),
      expect.objectContaining({ type: 'token.revoked', actor: 'gh.grace' }),
    ]);
  });

  it('starts over when the same mapping is set again meanwhile, asking GitHub again', async () => {
    const token = fake.setAccount({ id: 111, login: 'ivan', orgs: ['acme'], teams: ['acme/ops'] });
    let reads = 0;
    onFreshRead = () => {
      reads += 1;
      if (reads !== 1) return;
      // Ivan leaves the team on GitHub, and an admin sets the same mapping to make that count.
      fake.setAccount({ id: 111, login: 'ivan', orgs: ['acme'], teams: [] });
      mapping = { ...mapping };
    };
    const issued = await github.exchange(token, client);
    expect((await tokens.authenticate(issued.accessToken, client.ip)).role).toBe('user');
    expect((await users.get('gh.ivan')).role).toBe('user');
    expect(await tokens.listSessions(await tokens.authenticate(issued.accessToken, client.ip))).toHaveLength(
      1,
    );
  });

  it('gives up with unavailable, leaving no session, while the mapping keeps changing', async () => {
    const token = fake.setAccount({ id: 110, login: 'heidi', orgs: ['acme'] });
    // Each read is followed by a change: admin and user mappings by turns, so every re-check
    // finds a new version. The last one read says admin; the account is left with that role,
    // not with the user role its last (revoked) attempt synced.
    let reads = 0;
    onFreshRead = () => {
      reads += 1;
      mapping = reads % 2 === 1 ? { 'org:acme': 'admin' } : { 'org:acme': 'user' };
    };
    expect(await codeOf(github.exchange(token, client))).toBe('unavailable');
    expect(reads).toBe(6);
    expect((await users.get('gh.heidi')).role).toBe('admin');
    onFreshRead = () => {};
    const issued = await github.exchange(token, client);
    const principal = await tokens.authenticate(issued.accessToken, client.ip);
    expect(await tokens.listSessions(principal)).toHaveLength(1);
  });

  it('purges abandoned flows when new ones start', async () => {
    await github.start();
    clock += 601_000;
    await github.start();
    expect(await storage.oauthStates.purgeExpired(clock, 1000)).toBe(0);
  });
});
