import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningHush, listeningHush, memoryIo } from '../../test/helpers/cli-io.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from '../../test/helpers/hush-fixture.js';
import { freePort } from '../../test/servers/free-port.js';
import { ApiError } from '../client/api-call.js';
import { CliError, EXIT } from './cli-errors.js';
import {
  configDir,
  forgetLogin,
  loginPath,
  readLogin,
  type SavedLogin,
  saveLogin,
  sessionFailure,
  signIn,
} from './saved-login.js';

let server: ListeningHush;
let root: string;
let count = 0;
beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'hush-saved-login-'));
  server = await listeningHush();
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh config directory (not created yet) and the env naming it. */
const freshEnv = (extra: NodeJS.ProcessEnv = {}) => {
  count += 1;
  return { HUSH_CONFIG_DIR: path.join(root, `config-${count}`, 'hush'), ...extra };
};
const mode = (at: string) => statSync(at).mode & 0o777;
const failure = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    if (error instanceof CliError) return { code: error.exitCode, message: error.message };
    throw error;
  }
  throw new Error('it did not fail');
};

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  refresh_expires_in: number;
}
const post = async (route: string, body: unknown, bearer?: string) => {
  const response = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const passwordLogin = async () => {
  const answer = await post('/api/v1/token/create', {
    grant_type: 'password',
    username: ADMIN_USERNAME,
    password: ADMIN_PASSWORD,
  });
  expect(answer.status).toBe(200);
  return answer.body as unknown as Tokens;
};
const lookupStatus = async (token: string) =>
  (await fetch(`${server.url}/api/v1/token/lookup-self`, { headers: { authorization: `Bearer ${token}` } }))
    .status;
/** A saved login of a real session on the test server. */
const savedSession = async (env: NodeJS.ProcessEnv, at = Date.now()): Promise<SavedLogin> => {
  const tokens = await passwordLogin();
  const login: SavedLogin = {
    server: server.url,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    accessExpiresAt: at + tokens.expires_in * 1000,
    refreshExpiresAt: at + tokens.refresh_expires_in * 1000,
    principal: { kind: 'user', name: ADMIN_USERNAME },
  };
  await saveLogin(env, login);
  return login;
};

describe('saved login: the file', () => {
  it('is written 0600 in a 0700 directory it creates, and stays 0600 when replaced', async () => {
    const env = freshEnv();
    const login = await savedSession(env);
    const file = await saveLogin(env, login);
    expect(file).toBe(loginPath(env));
    expect(mode(configDir(env))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(await readLogin(env)).toEqual(login);
    const old = process.umask(0o000);
    try {
      await saveLogin(env, { ...login, accessToken: 'hush_at_other' });
    } finally {
      process.umask(old);
    }
    expect(mode(file)).toBe(0o600);
    expect(readdirSync(configDir(env))).toEqual(['credentials.json']);
  });

  it('never writes through a file or symlink left at its temporary name', async () => {
    const env = freshEnv();
    mkdirSync(configDir(env), { recursive: true, mode: 0o700 });
    const target = path.join(root, `target-${count}`);
    writeFileSync(target, 'untouched');
    symlinkSync(target, `${loginPath(env)}.${process.pid}.tmp`);
    await savedSession(env);
    expect(readFileSync(target, 'utf8')).toBe('untouched');
    expect(mode(loginPath(env))).toBe(0o600);
  });

  it('lives in HUSH_CONFIG_DIR, else XDG_CONFIG_HOME/hush, else ~/.config/hush', () => {
    expect(configDir({ HUSH_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/b' })).toBe('/a');
    expect(configDir({ XDG_CONFIG_HOME: '/b' })).toBe(path.join('/b', 'hush'));
    expect(configDir({})).toMatch(/\.config[/\\]hush$/);
  });

  it('none is undefined; a damaged one is a local failure that says what to do', async () => {
    const env = freshEnv();
    expect(await readLogin(env)).toBeUndefined();
    mkdirSync(configDir(env), { recursive: true });
    for (const text of [
      '{not json',
      '[]',
      '{"server":"x"}',
      '{"server":"x","accessToken":"t","accessExpiresAt":"soon"}',
    ]) {
      writeFileSync(loginPath(env), text);
      expect(await failure(() => readLogin(env)), text).toEqual({
        code: EXIT.local,
        message: `${loginPath(env)} is damaged: run hush logout, then hush login`,
      });
    }
    await forgetLogin(env);
    expect(existsSync(loginPath(env))).toBe(false);
  });
});

describe('signIn', () => {
  it('HUSH_TOKEN wins over a saved login, with --server, else HUSH_URL', async () => {
    const env = freshEnv({ HUSH_TOKEN: ' hush_at_from_env \n', HUSH_URL: 'http://elsewhere.test:1' });
    await savedSession(env);
    const signed = await signIn(memoryIo({ env }), undefined);
    expect(signed).toMatchObject({
      token: 'hush_at_from_env',
      fromEnv: true,
      server: 'http://elsewhere.test:1',
    });
    expect((await signIn(memoryIo({ env }), 'http://flag.test')).server).toBe('http://flag.test');
  });

  it('uses the saved login as it is while its access token is fresh; its token works', async () => {
    const env = freshEnv({ HUSH_URL: 'http://not-the-login.test' });
    const login = await savedSession(env);
    const signed = await signIn(memoryIo({ env }), undefined);
    expect(signed).toMatchObject({ server: server.url, token: login.accessToken, fromEnv: false });
    const self = await signed.call<{ user: { username: string } }>('GET', '/api/v1/token/lookup-self');
    expect(self.user.username).toBe(ADMIN_USERNAME);
    expect(await readLogin(env)).toEqual(login);
  });

  it('without a login says to run hush login; a saved login goes to its own server only', async () => {
    expect(await failure(() => signIn(memoryIo({ env: freshEnv() }), undefined))).toEqual({
      code: EXIT.usage,
      message: 'not signed in: run hush login (or set HUSH_TOKEN)',
    });
    const env = freshEnv();
    await savedSession(env);
    expect(await failure(() => signIn(memoryIo({ env }), 'http://other.test/'))).toEqual({
      code: EXIT.usage,
      message: `the saved login is for ${server.url}: run hush login --server http://other.test`,
    });
    expect((await signIn(memoryIo({ env }), `${server.url}/`)).server).toBe(server.url);
  });

  it('renews an access token about to expire: the new tokens are saved, the old refresh token is spent', async () => {
    const env = freshEnv();
    const login = await savedSession(env);
    const soon = login.accessExpiresAt - 30_000;
    const signed = await signIn(memoryIo({ env }), undefined, soon);
    expect(signed.token).not.toBe(login.accessToken);
    const saved = await readLogin(env);
    expect(saved).toMatchObject({
      server: server.url,
      accessToken: signed.token,
      principal: login.principal,
    });
    expect(saved?.refreshToken).toMatch(/^hush_rt_/);
    expect(saved?.refreshToken).not.toBe(login.refreshToken);
    expect(saved?.accessExpiresAt).toBeGreaterThan(soon + 60_000);
    expect(mode(loginPath(env))).toBe(0o600);
    expect(await lookupStatus(signed.token)).toBe(200);
    expect((await post('/api/v1/token/renew', { refresh_token: saved?.refreshToken })).status).toBe(200);
  });

  it('two commands renewing at once renew once: both get the same token and the session lives', async () => {
    const env = freshEnv();
    const login = await savedSession(env);
    const soon = login.accessExpiresAt - 1_000;
    const both = await Promise.all([0, 1, 2].map(() => signIn(memoryIo({ env }), undefined, soon)));
    const tokens = new Set(both.map((signed) => signed.token));
    expect(tokens.size).toBe(1);
    const [token = ''] = tokens;
    expect(token).not.toBe(login.accessToken);
    // A second renewal with the spent refresh token would have revoked the whole session.
    expect(await lookupStatus(token)).toBe(200);
    expect(existsSync(`${loginPath(env)}.lock`)).toBe(false);
  });

  it('takes over a lock left by a crashed command', async () => {
    const env = freshEnv();
    const login = await savedSession(env);
    const lock = `${loginPath(env)}.lock`;
    writeFileSync(lock, '999999\n');
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(lock, longAgo, longAgo);
    const signed = await signIn(memoryIo({ env }), undefined, login.accessExpiresAt + 1);
    expect(signed.token).not.toBe(login.accessToken);
    expect(existsSync(lock)).toBe(false);
  });

  it('past its refresh token, or after its session was revoked, says to run hush login', async () => {
    const env = freshEnv();
    const login = await savedSession(env);
    const later = (login.refreshExpiresAt ?? 0) + 1;
    expect(await failure(() => signIn(memoryIo({ env }), undefined, later))).toEqual({
      code: EXIT.usage,
      message: 'the saved login has expired: run hush login',
    });
    expect((await post('/api/v1/token/revoke', { revoke_token: login.refreshToken })).status).toBe(200);
    expect(await failure(() => signIn(memoryIo({ env }), undefined, login.accessExpiresAt))).toEqual({
      code: EXIT.usage,
      message: 'the saved login can no longer be renewed: run hush login',
    });
    expect(await readLogin(env)).toEqual(login);
  });

  it('a login without a refresh token is used until its access token ends', async () => {
    const env = freshEnv();
    const login = { ...(await savedSession(env)), refreshToken: undefined, refreshExpiresAt: undefined };
    await saveLogin(env, login);
    expect((await signIn(memoryIo({ env }), undefined, login.accessExpiresAt - 1_000)).token).toBe(
      login.accessToken,
    );
    expect(await failure(() => signIn(memoryIo({ env }), undefined, login.accessExpiresAt))).toMatchObject({
      code: EXIT.usage,
      message: 'the saved login has expired: run hush login',
    });
  });

  it('a server away while renewing: the access token still carries the command until it ends', async () => {
    const env = freshEnv();
    const login = { ...(await savedSession(env)), server: `http://127.0.0.1:${await freePort()}` };
    await saveLogin(env, login);
    const early = await signIn(memoryIo({ env }), undefined, login.accessExpiresAt - 1_000);
    expect(early.token).toBe(login.accessToken);
    const late = await signIn(memoryIo({ env }), undefined, login.accessExpiresAt + 1_000).catch(
      (error: unknown) => error,
    );
    expect(late).toBeInstanceOf(ApiError);
    expect((late as ApiError).status).toBe(0);
  });
});

describe('sessionFailure', () => {
  it('words a 401 for where the token came from, and leaves anything else as it was', () => {
    const dead = new ApiError(401, 'invalid_token', 'The token is not valid.');
    expect(sessionFailure(dead, { fromEnv: true })).toEqual(
      new CliError(EXIT.refused, 'HUSH_TOKEN is invalid, expired or revoked'),
    );
    expect((sessionFailure(dead, { fromEnv: false }) as CliError).message).toBe(
      'the saved login no longer works (its session was revoked or has ended): run hush login',
    );
    const other = new ApiError(403, 'forbidden', 'You may not do this.');
    expect(sessionFailure(other, { fromEnv: false })).toBe(other);
  });
});
