import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runLoginCommand } from '../src/cli/login-command.js';
import { runLogoutCommand } from '../src/cli/logout-command.js';
import { runPolicyCommand } from '../src/cli/policy-command.js';
import { loginPath, readLogin } from '../src/cli/saved-login.js';
import { type ListeningHush, listeningHush, memoryIo } from './helpers/cli-io.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './helpers/hush-fixture.js';
import { type FakeGithub, startFakeGithub } from './servers/fake-github.js';
import { freePort } from './servers/free-port.js';

// No controlling terminal, whoever runs the tests: a prompt must refuse, never wait for a key.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = (...args: Parameters<typeof fs.openSync>) => {
    if (args[0] === '/dev/tty') throw Object.assign(new Error('no such device'), { code: 'ENXIO' });
    return fs.openSync(...args);
  };
  return { ...fs, default: { ...fs, openSync }, openSync };
});

let server: ListeningHush;
let root: string;
let dirs = 0;
beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'hush-cli-login-'));
  server = await listeningHush();
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** An environment with a config directory of its own and HUSH_URL naming the test server. */
const freshEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  dirs += 1;
  return { HUSH_URL: server.url, HUSH_CONFIG_DIR: path.join(root, `config-${dirs}`), ...extra };
};
type Run = (args: readonly string[], io: ReturnType<typeof memoryIo>) => Promise<number>;
const run = async (command: Run, args: string[], env: NodeJS.ProcessEnv, input = '') => {
  const io = memoryIo({ env, input });
  const code = await command(args, io);
  return { code, out: io.out(), err: io.err() };
};
const login = (env: NodeJS.ProcessEnv, args: string[] = [], input = `${ADMIN_PASSWORD}\n`) =>
  run(runLoginCommand, ['--username', ADMIN_USERNAME, '--password-stdin', ...args], env, input);
const lookupStatus = async (token: string, base = server.url) =>
  (await fetch(`${base}/api/v1/token/lookup-self`, { headers: { authorization: `Bearer ${token}` } })).status;
/** No password and no token in what a command printed. */
const expectNoLeak = (...texts: string[]) => {
  for (const text of texts) {
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect(text).not.toMatch(/hush_[ar]t_/);
  }
};

describe('hush login with a password', () => {
  it('saves the session 0600, says who signed in, and prints no token', async () => {
    const env = freshEnv();
    const result = await login(env);
    expect(result).toEqual({ code: 0, out: '', err: `hush: signed in to ${server.url} as admin (user)\n` });
    expect(statSync(loginPath(env)).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(loginPath(env))).mode & 0o777).toBe(0o700);
    const saved = await readLogin(env);
    expect(saved).toMatchObject({ server: server.url, principal: { kind: 'user', name: 'admin' } });
    expect(await lookupStatus(saved?.accessToken ?? '')).toBe(200);
    // The saved login is what later commands use.
    const listed = await run(runPolicyCommand, ['list', '--json'], { HUSH_CONFIG_DIR: env.HUSH_CONFIG_DIR });
    expect(listed.code, listed.err).toBe(0);
    expect(JSON.parse(listed.out)).toEqual({ policies: expect.any(Array) });
  });

  it('--json describes the session without any token', async () => {
    const env = freshEnv();
    const result = await login(env, ['--json', '--scope', 'secrets:read', '--ttl', '10m']);
    expect(result.code, result.err).toBe(0);
    expectNoLeak(
      result.out,
      result.err,
      readFileSync(loginPath(env), 'utf8').replace(/"hush_[ar]t_[^"]*"/g, ''),
    );
    const json = JSON.parse(result.out) as Record<string, unknown>;
    expect(json).toEqual({
      server: server.url,
      kind: 'user',
      name: 'admin',
      role: 'admin',
      scope: 'secrets:read',
      expires_at: expect.any(String),
      refresh_expires_at: expect.any(String),
      session_id: expect.any(String),
      saved_in: loginPath(env),
    });
    const ttl = Date.parse(String(json.expires_at)) - Date.now();
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
  });

  it('a wrong password is exit 1 and saves nothing; the password is read from the first line only', async () => {
    const env = freshEnv();
    expect(await login(env, [], 'not the password\n')).toEqual({
      code: 1,
      out: '',
      err: 'hush: wrong username or password\n',
    });
    expect(existsSync(loginPath(env))).toBe(false);
    const ok = await login(env, [], `${ADMIN_PASSWORD}\r\nsecond line is not read\n`);
    expect(ok.code, ok.err).toBe(0);
  });

  it('refuses what it cannot use, before any request, with exit 2', async () => {
    const env = freshEnv();
    const cases: [string[], string, unknown][] = [
      [['--password-stdin'], `${ADMIN_PASSWORD}\n`, 'hush: --username is needed (see hush login --help)\n'],
      [['--username', 'admin'], '', 'hush: no terminal to ask for the password on: use --password-stdin\n'],
      [['--username', 'admin', '--password-stdin'], '', 'hush: no password given\n'],
      [
        ['--password-stdin', '--role-id', 'r'],
        '',
        'hush: choose one of --password-stdin, --github-token-stdin and --role-id\n',
      ],
      [
        ['--github-token-stdin', '--username', 'x'],
        'gho_x\n',
        'hush: --username is for password sign-in only\n',
      ],
      [['--role-id', 'r', '--ttl', '1h'], 's\n', 'hush: --ttl is for password sign-in only\n'],
      [
        ['--username', 'admin', '--password-stdin', '--ttl', 'soon'],
        'x\n',
        'hush: --ttl must be a duration like 3600, 30m, 1h or 2d\n',
      ],
      [
        ['--username', 'admin', '--password=hunter2'],
        '',
        'hush: --password is not taken as an argument (the process list shows arguments): use --password-stdin\n',
      ],
      [
        ['--role-id', 'r', '--secret-id', 's'],
        '',
        'hush: --secret-id is not taken as an argument (the process list shows arguments): use --role-id <id> with the secret id on stdin\n',
      ],
      [['--usernme', 'admin'], '', expect.stringMatching(/^hush: Unknown option '--usernme'/)],
      [['extra'], '', 'hush: wrong number of arguments (see hush login --help)\n'],
    ];
    for (const [args, input, err] of cases) {
      expect(await run(runLoginCommand, args, env, input), args.join(' ')).toEqual({ code: 2, out: '', err });
    }
    expect(existsSync(loginPath(env))).toBe(false);
    const help = await run(runLoginCommand, ['--help'], env);
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toMatch(/^usage: hush login/);
  });

  it('replacing a login ends the session of the one it replaces', async () => {
    const env = freshEnv();
    expect((await login(env)).code).toBe(0);
    const first = await readLogin(env);
    expect((await login(env)).code).toBe(0);
    const second = await readLogin(env);
    expect(second?.accessToken).not.toBe(first?.accessToken);
    expect(await lookupStatus(first?.accessToken ?? '')).toBe(401);
    expect(await lookupStatus(second?.accessToken ?? '')).toBe(200);
  });

  it('says so when HUSH_TOKEN is set, since commands then use it instead', async () => {
    const result = await login(freshEnv({ HUSH_TOKEN: 'hush_at_whatever' }));
    expect(result.code).toBe(0);
    expect(result.err).toContain('hush: HUSH_TOKEN is set: commands use it, not this login\n');
  });

  it('a server that cannot be reached is exit 3', async () => {
    const env = freshEnv({ HUSH_URL: `http://127.0.0.1:${await freePort()}` });
    const result = await login(env);
    expect(result.code).toBe(3);
    expect(result.err).toMatch(/^hush: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\n$/);
  });
});

describe('renewal by the commands that use the saved login', () => {
  it('renews an access token about to end and saves the new tokens; the session goes on', async () => {
    const env = freshEnv();
    // Access tokens shorter than the renewal margin (60 s): every command renews first.
    expect((await login(env, ['--ttl', '30s'])).code).toBe(0);
    const before = await readLogin(env);
    for (let round = 0; round < 2; round += 1) {
      const listed = await run(runPolicyCommand, ['list'], env);
      expect(listed.code, listed.err).toBe(0);
    }
    const after = await readLogin(env);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(statSync(loginPath(env)).mode & 0o777).toBe(0o600);
    expect(await lookupStatus(after?.accessToken ?? '')).toBe(200);
  });

  it('a session revoked elsewhere: the command says to run hush login', async () => {
    const env = freshEnv();
    expect((await login(env)).code).toBe(0);
    const saved = await readLogin(env);
    await fetch(`${server.url}/api/v1/token/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ revoke_token: saved?.accessToken }),
    });
    expect(await run(runPolicyCommand, ['list'], env)).toEqual({
      code: 1,
      out: '',
      err: 'hush: the saved login no longer works (its session was revoked or has ended): run hush login\n',
    });
    expect(
      await run(runPolicyCommand, ['list'], { HUSH_TOKEN: saved?.accessToken, HUSH_URL: server.url }),
    ).toEqual({
      code: 1,
      out: '',
      err: 'hush: HUSH_TOKEN is invalid, expired or revoked\n',
    });
  });

  it('without a login, a command says to run hush login (exit 2)', async () => {
    expect(await run(runPolicyCommand, ['list'], freshEnv())).toEqual({
      code: 2,
      out: '',
      err: 'hush: not signed in: run hush login (or set HUSH_TOKEN)\n',
    });
  });
});

describe('hush logout', () => {
  it('ends the session and removes the saved login; again, there is nothing to do', async () => {
    const env = freshEnv();
    expect((await login(env)).code).toBe(0);
    const saved = await readLogin(env);
    expect(await run(runLogoutCommand, [], env)).toEqual({
      code: 0,
      out: '',
      err: `hush: signed out of ${server.url}: the session has ended\n`,
    });
    expect(existsSync(loginPath(env))).toBe(false);
    expect(await lookupStatus(saved?.accessToken ?? '')).toBe(401);
    expect(await run(runLogoutCommand, [], env)).toEqual({
      code: 0,
      out: '',
      err: 'hush: not signed in: nothing to do\n',
    });
    expect(await run(runLogoutCommand, ['--json'], env)).toEqual({
      code: 0,
      out: '{"signed_out":false,"revoked":false}\n',
      err: '',
    });
  });

  it('an already dead session, an unreachable server or a damaged file: removed all the same', async () => {
    const env = freshEnv();
    expect((await login(env)).code).toBe(0);
    const saved = await readLogin(env);
    await fetch(`${server.url}/api/v1/token/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ revoke_token: saved?.accessToken }),
    });
    expect(await run(runLogoutCommand, ['--json'], env)).toEqual({
      code: 0,
      out: '{"signed_out":true,"revoked":true}\n',
      err: '',
    });

    const away = `http://127.0.0.1:${await freePort()}`;
    writeFileSync(loginPath(env), JSON.stringify({ ...saved, server: away }));
    const unreachable = await run(runLogoutCommand, [], env);
    expect(unreachable.code).toBe(0);
    expect(unreachable.err).toBe(
      `hush: warning: the session could not be ended on ${away} (cannot reach ${away} (ECONNREFUSED)); ` +
        'the saved login is removed, but its session lives on until it expires\n',
    );
    expect(existsSync(loginPath(env))).toBe(false);

    writeFileSync(loginPath(env), '{damaged');
    expect(await run(runLogoutCommand, [], env)).toEqual({
      code: 0,
      out: '',
      err: `hush: ${loginPath(env)} could not be read: removed without ending its session\n`,
    });
    expect(existsSync(loginPath(env))).toBe(false);
  });
});

describe('hush login --github-token-stdin (against the fake GitHub)', () => {
  let fake: FakeGithub;
  let github: ListeningHush;
  beforeAll(async () => {
    fake = await startFakeGithub();
    github = await listeningHush({
      HUSH_PUBLIC_URL: 'http://hush.test',
      HUSH_GITHUB_CLIENT_ID: fake.clientId,
      HUSH_GITHUB_CLIENT_SECRET: fake.clientSecret,
      HUSH_GITHUB_OAUTH_URL: fake.url,
      HUSH_GITHUB_API_URL: fake.url,
    });
    const mapping = await github.fixture.hush.app.inject({
      method: 'POST',
      url: '/api/v1/sys/setting',
      headers: github.fixture.adminAuth,
      payload: { key: 'github.role_mapping', value: { 'org:acme': 'user' } },
    });
    expect(mapping.statusCode, mapping.body).toBe(200);
  });
  afterAll(async () => {
    await github?.close();
    await fake?.close();
  });

  it('exchanges the GitHub token for a saved hush session', async () => {
    const githubToken = fake.setAccount({ id: 7, login: 'Octo', orgs: ['acme'] });
    const env = freshEnv({ HUSH_URL: github.url });
    const result = await run(runLoginCommand, ['--github-token-stdin'], env, `${githubToken}\n`);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toMatch(new RegExp(`^hush: signed in to ${github.url} as \\S+ \\(user\\)\\n$`));
    expect(result.err).not.toContain(githubToken);
    const saved = await readLogin(env);
    expect(await lookupStatus(saved?.accessToken ?? '', github.url)).toBe(200);
  });

  it('words GitHub refusals: an unknown token, no mapping, GitHub sign-in off', async () => {
    const env = freshEnv({ HUSH_URL: github.url });
    expect(await run(runLoginCommand, ['--github-token-stdin'], env, 'gho_not_a_real_token\n')).toMatchObject(
      {
        code: 1,
        err: 'hush: GitHub did not accept the token (is it revoked, or missing the read:org scope?)\n',
      },
    );
    const outsider = fake.setAccount({ id: 8, login: 'outsider', orgs: ['elsewhere'] });
    expect(await run(runLoginCommand, ['--github-token-stdin'], env, `${outsider}\n`)).toMatchObject({
      code: 1,
      err: 'hush: no GitHub organisation, team or user mapping on this server grants your GitHub account a role\n',
    });
    expect(await run(runLoginCommand, ['--github-token-stdin'], freshEnv(), `${outsider}\n`)).toMatchObject({
      code: 1,
      err: 'hush: GitHub sign-in is not configured on this server\n',
    });
    expect(await run(runLoginCommand, ['--github-token-stdin'], env, '\n')).toMatchObject({
      code: 2,
      err: 'hush: no GitHub token given\n',
    });
    expect(existsSync(loginPath(env))).toBe(false);
  });
});

describe('HUSH_CONFIG_DIR', () => {
  it('is a client setting: a shell that carries it may still start a server', async () => {
    const { loadConfig } = await import('../src/config/config.js');
    expect(() => loadConfig({ HUSH_DATA_DIR: root, HUSH_CONFIG_DIR: root, HUSH_TOKEN: 'x' })).not.toThrow();
  });
});
