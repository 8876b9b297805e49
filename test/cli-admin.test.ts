import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runHush, runHushOnTerminal } from './helpers/cli-process.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, get } from './helpers/load.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';
import { freePort } from './servers/free-port.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
const WRONG_PASSWORD = 'not the admin password 42';
const BOB_PASSWORD = 'bob password 0123456789';

let server: ServerProcess;
let dir: string;
let env: Record<string, string>;
let passwordFile: string;
let wrongFile: string;

/** The server's own storage, for the local `hush user` commands. */
const localEnv = () => ({ HUSH_DATA_DIR: dir, HUSH_LOG_LEVEL: 'warn' });

const file = (name: string, content: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};

interface TokenJson {
  access_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  refresh_expires_in?: number;
  scope: string;
  session_id: string;
}

const createToken = async (args: string[] = [], pwFile = passwordFile, username = ADMIN_USERNAME) => {
  const result = await runHush(
    ['token', 'create', '--json', '--username', username, '--password-file', pwFile, ...args],
    { env },
  );
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as TokenJson;
};
const lookup = (token: string, args: string[] = []) =>
  runHush(['token', 'lookup', ...args], { env: { ...env, HUSH_TOKEN: token } });
const lookupJson = async (token: string) => {
  const result = await lookup(token, ['--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
};

/** Nothing the user must keep to themselves shows in what a command wrote on stderr. */
const expectNoLeak = (result: CliResult, ...values: string[]) => {
  for (const value of [ADMIN_PASSWORD, WRONG_PASSWORD, BOB_PASSWORD, ...values]) {
    expect(result.stderr).not.toContain(value);
  }
  expect(result.stderr).not.toMatch(/hush_[ar]t_/);
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-admin-'));
  // A shell that carries the CLI's HUSH_TOKEN (and HUSH_URL) may still start a server.
  server = await startServerProcess({
    HUSH_DATA_DIR: dir,
    HUSH_RATE_LIMIT_MAX: '0',
    HUSH_TOKEN: 'hush_at_not-a-real-token',
    HUSH_URL: 'http://somewhere-else.invalid',
  });
  env = { HUSH_URL: server.url };
  passwordFile = file('admin-password', `${ADMIN_PASSWORD}\n`);
  wrongFile = file('wrong-password', WRONG_PASSWORD);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hush token create', () => {
  it('prints only the access token on stdout; --json gives the whole token response', async () => {
    const plain = await runHush(
      ['token', 'create', '--username', ADMIN_USERNAME, '--password-file', passwordFile],
      { env },
    );
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^hush_at_\S+\n$/);
    expect(plain.stderr).toMatch(
      /^hush: signed in as admin: scope secrets:read secrets:write shares:write admin, expires in \d+ s;/,
    );
    expectNoLeak(plain, plain.stdout.trim());
    expect((await lookup(plain.stdout.trim())).stdout).toMatch(/^user: +admin \(admin\)$/m);

    const json = await createToken();
    expect(Object.keys(json).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_expires_in',
      'refresh_token',
      'scope',
      'session_id',
      'token_type',
    ]);
    expect(json).toMatchObject({
      token_type: 'Bearer',
      scope: 'secrets:read secrets:write shares:write admin',
    });
    expect(json.refresh_token).toMatch(/^hush_rt_/);
  });

  it('a wrong password is exit 1 with "wrong username or password", and no password on stderr', async () => {
    for (const username of [ADMIN_USERNAME, 'nobody-here']) {
      const result = await runHush(
        ['token', 'create', '--username', username, '--password-file', wrongFile],
        { env },
      );
      expect(result).toMatchObject({ code: 1, stdout: '', stderr: 'hush: wrong username or password\n' });
    }
  });

  it('passes scope, ttl, max uses and networks through: lookup shows them', async () => {
    const limited = await createToken([
      '--scope',
      'secrets:read',
      '--ttl',
      '10m',
      '--max-uses',
      '3',
      '--cidr',
      '127.0.0.0/8',
      '--cidr',
      '10.0.0.0/8',
    ]);
    expect(limited.refresh_token).toBeUndefined(); // counted uses are not renewable
    expect(limited.scope).toBe('secrets:read');
    expect(limited.expires_in).toBeLessThanOrEqual(600);
    const info = await lookupJson(limited.access_token);
    expect(info).toMatchObject({
      user: { username: 'admin', role: 'admin' },
      scopes: ['secrets:read'],
      uses_left: 2,
      bound_cidrs: ['127.0.0.0/8', '10.0.0.0/8'],
    });
    const text = await lookup(limited.access_token);
    expect(text.stdout).toMatch(/^uses left: +1$/m);
    expect(text.stdout).toMatch(/^bound to: +127\.0\.0\.0\/8 10\.0\.0\.0\/8$/m);
    expect(text.stdout).not.toContain(limited.access_token);
    // Its third and last use is spent: a fourth request is refused.
    expect((await lookup(limited.access_token)).code).toBe(0);
    const spent = await lookup(limited.access_token);
    expect(spent).toMatchObject({ code: 1, stderr: 'hush: the token is invalid, expired or revoked\n' });

    // Bound elsewhere: refused from here.
    const elsewhere = await createToken(['--cidr', '10.0.0.0/8']);
    expect((await lookup(elsewhere.access_token)).code).toBe(1);
    const bound = await lookupJson((await createToken(['--bind-ip'])).access_token);
    expect(bound.bound_cidrs).toEqual([
      expect.stringMatching(/^127\.0\.0\.1\/32$|^::ffff:127\.0\.0\.1\/128$/),
    ]);
  });

  it('refuses bad options locally and the server refusal by flag, with exit codes', async () => {
    const base = ['token', 'create', '--username', 'admin', '--password-file', passwordFile];
    expect((await runHush([...base, '--ttl', 'soon'], { env })).stderr).toMatch(/--ttl must be a duration/);
    expect((await runHush([...base, '--max-uses', '0'], { env })).code).toBe(2);
    expect((await runHush(['token', 'create', '--password-file', passwordFile], { env })).stderr).toMatch(
      /--username is needed/,
    );
    const scope = await runHush([...base, '--scope', 'root'], { env });
    expect(scope).toMatchObject({ code: 1, stderr: expect.stringMatching(/^hush: --scope names a scope/) });
    const cidr = await runHush([...base, '--cidr', 'everywhere'], { env });
    expect(cidr).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^hush: --cidr was refused by the server: bound_cidrs must be/),
    });
    const maxTtl = await runHush([...base, '--max-ttl', '5000w'], { env });
    expect(maxTtl).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^hush: --max-ttl was refused by the server/),
    });
    // No terminal and no file: it stops before sending anything.
    const noTerminal = await runHush(['token', 'create', '--username', 'admin'], { env });
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toMatch(/no terminal to ask for the password on: use --password-file/);
    const empty = await runHush([...base.slice(0, 4), '--password-file', file('empty', '\n')], { env });
    expect(empty).toMatchObject({ code: 2, stderr: expect.stringMatching(/the password file .* is empty/) });
    const port = await freePort();
    const down = await runHush([...base, '--server', `http://127.0.0.1:${port}`], { env });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expectNoLeak(down);
  });

  it.skipIf(!hasScript)('asks for the password on the terminal without echoing it', async () => {
    const made = await runHushOnTerminal(
      ['token', 'create', '--username', ADMIN_USERNAME],
      [`${ADMIN_PASSWORD}\r`],
      env,
    );
    expect(made.code, made.screen).toBe(0);
    expect(made.screen).toContain('Password for admin: ');
    expect(made.screen).not.toContain(ADMIN_PASSWORD);
    expect(made.screen).toMatch(/hush_at_\S+/);
  });
});

describe('hush token lookup, revoke and renew', () => {
  it('lookup and revoke take the token from HUSH_TOKEN or from stdin, never from an argument', async () => {
    const viaEnv = await createToken();
    const shown = await lookup(viaEnv.access_token);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^scopes: +secrets:read secrets:write shares:write admin$/m);
    expect(shown.stdout).toContain(viaEnv.session_id);
    const viaStdin = await runHush(['token', 'lookup', '--json', '-'], {
      env,
      input: `${viaEnv.access_token}\n`,
    });
    expect(JSON.parse(viaStdin.stdout)).toMatchObject({ session_id: viaEnv.session_id, uses_left: null });

    const asArgument = await runHush(['token', 'lookup', viaEnv.access_token], { env });
    expect(asArgument.code).toBe(2);
    expect(asArgument.stderr).toMatch(/never taken as an argument/);
    expectNoLeak(asArgument, viaEnv.access_token);
    const none = await runHush(['token', 'lookup'], { env });
    expect(none).toMatchObject({ code: 2, stderr: expect.stringMatching(/no token: set HUSH_TOKEN/) });
    const refreshAsAccess = await lookup(viaEnv.refresh_token ?? '');
    expect(refreshAsAccess.code).toBe(2);
    expect(refreshAsAccess.stderr).toMatch(/HUSH_TOKEN holds a refresh token; this needs the access token/);
    expectNoLeak(refreshAsAccess, viaEnv.refresh_token ?? '');

    const revoked = await runHush(['token', 'revoke'], { env: { ...env, HUSH_TOKEN: viaEnv.access_token } });
    expect(revoked).toMatchObject({
      code: 0,
      stdout: '',
      stderr: 'hush: revoked: the session of this token has ended\n',
    });
    const after = await lookup(viaEnv.access_token);
    expect(after).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'hush: the token is invalid, expired or revoked\n',
    });
    expectNoLeak(after, viaEnv.access_token);

    // A refresh token on stdin ends its session as well.
    const other = await createToken();
    const byRefresh = await runHush(['token', 'revoke', '--json', '-'], { env, input: other.refresh_token });
    expect(byRefresh).toMatchObject({ code: 0, stdout: '{"revoked":true}\n' });
    expect((await lookup(other.access_token)).code).toBe(1);
  });

  it('renew trades the refresh token on stdin for new tokens; the old one is used up', async () => {
    const first = await createToken();
    const renewed = await runHush(['token', 'renew'], { env, input: `${first.refresh_token}\n` });
    expect(renewed.code, renewed.stderr).toBe(0);
    const [access, refresh, ...rest] = renewed.stdout.split('\n');
    expect(access).toMatch(/^hush_at_/);
    expect(refresh).toMatch(/^hush_rt_/);
    expect(rest).toEqual(['']);
    expect(await lookupJson(access ?? '')).toMatchObject({ session_id: first.session_id });

    const json = await runHush(['token', 'renew', '--json', '-'], { env, input: refresh });
    expect(json.code, json.stderr).toBe(0);
    const third = JSON.parse(json.stdout) as TokenJson;
    expect(third).toMatchObject({ token_type: 'Bearer', session_id: first.session_id });

    // Replaying a used-up refresh token is refused and revokes the whole session.
    const replay = await runHush(['token', 'renew'], { env, input: first.refresh_token });
    expect(replay).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'hush: the refresh token is invalid, expired, already used or revoked\n',
    });
    expectNoLeak(replay, first.refresh_token ?? '');
    expect((await lookup(third.access_token)).code).toBe(1);

    const accessGiven = await runHush(['token', 'renew'], { env, input: third.access_token });
    expect(accessGiven.code).toBe(2);
    expect(accessGiven.stderr).toMatch(/stdin holds an access token; this needs the refresh token/);
    // HUSH_TOKEN is an access token: renew reads stdin only.
    const empty = await runHush(['token', 'renew'], { env: { ...env, HUSH_TOKEN: third.access_token } });
    expect(empty).toMatchObject({ code: 2, stderr: 'hush: no token on stdin\n' });
  });
});

describe('hush user list and delete', () => {
  it('lists accounts, deletes one (its tokens stop at once, user.deleted audited), refuses the unknown', async () => {
    const made = await runHush(['user', 'create', 'bob'], { env: localEnv(), input: BOB_PASSWORD });
    expect(made.code, made.stderr).toBe(0);

    const list = await runHush(['user', 'list', '--json'], { env: localEnv() });
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as { total: number; users: Record<string, unknown>[] };
    expect(listed.total).toBe(2);
    expect(listed.users.map((u) => u.username).sort()).toEqual(['admin', 'bob']);
    expect(Object.keys(listed.users[0] ?? {}).sort()).toEqual([
      'created_at',
      'email',
      'id',
      'role',
      'username',
    ]);
    const table = await runHush(['user', 'list'], { env: localEnv() });
    expect(table.stdout).toMatch(/^USERNAME +ROLE +EMAIL +CREATED\n/);
    expect(table.stdout).toMatch(/^bob +user +- +\d{4}-\d\d-\d\dT/m);

    const bob = await createToken([], file('bob-password', BOB_PASSWORD), 'bob');
    expect((await lookup(bob.access_token)).code).toBe(0);
    const deleted = await runHush(['user', 'delete', 'bob'], { env: localEnv() });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe('deleted bob: its sessions and tokens no longer work\n');
    expect((await lookup(bob.access_token)).code).toBe(1);
    const after = JSON.parse((await runHush(['user', 'list', '--json'], { env: localEnv() })).stdout);
    expect(after.users.map((u: { username: string }) => u.username)).toEqual(['admin']);

    const admin = await createToken();
    const events = await get(`${server.url}/api/v1/events?type=user.deleted`, {
      headers: { authorization: `Bearer ${admin.access_token}` },
    });
    expect(events.status).toBe(200);
    expect(events.body.events).toEqual([
      expect.objectContaining({
        type: 'user.deleted',
        actor: expect.objectContaining({ kind: 'system' }),
        data: { username: 'bob' },
      }),
    ]);

    const again = await runHush(['user', 'delete', 'bob'], { env: localEnv() });
    expect(again).toMatchObject({ code: 1, stderr: 'hush: no such user\n' });
    // The only admin left cannot be deleted; a look-alike of a name cannot be created.
    const last = await runHush(['user', 'delete', 'admin'], { env: localEnv() });
    expect(last).toMatchObject({
      code: 1,
      stderr: 'hush: This is the last admin account: create another admin first.\n',
    });
    const lookalike = await runHush(['user', 'create', '\u0430dmin'], {
      env: localEnv(),
      input: BOB_PASSWORD,
    });
    expect(lookalike).toMatchObject({
      code: 1,
      stderr:
        'hush: A user with a username that looks the same exists (Unicode confusables): choose another.\n',
    });
    const badArgs = [
      ['user', 'delete'],
      ['user', 'delete', 'a', 'b'],
      ['user', 'list', 'x'],
    ];
    const refused = await Promise.all(badArgs.map((args) => runHush(args, { env: localEnv() })));
    refused.forEach((bad, i) => {
      expect(bad.code, badArgs[i]?.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(/usage: hush user create/);
    });
    expect(await runHush(['user', 'delet', 'bob'], { env: localEnv() })).toEqual({
      code: 2,
      stdout: '',
      stderr: "hush: unknown command 'user delet'. Did you mean 'user delete'?\n",
    });
    // Many processes, each loading the server's modules: slow on a busy machine.
  }, 120_000);
});

describe('--help', () => {
  it('every new command has help on stdout with exit code 0', async () => {
    const cases: [string[], RegExp][] = [
      [['token', '--help'], /^usage: hush token create\|lookup\|revoke\|renew/],
      [['help', 'token'], /^usage: hush token create\|lookup\|revoke\|renew/],
      [['token', 'create', '--help'], /^usage: hush token create --username/],
      [['token', 'lookup', '--help'], /^usage: hush token lookup/],
      [['token', 'revoke', '-h'], /^usage: hush token revoke/],
      [['token', 'renew', '--help'], /^usage: hush token renew/],
      [['user', 'list', '--help'], /hush user list \[--json\]/],
      [['user', 'delete', '--help'], /hush user delete <username>/],
      [['help'], /token create …[\s\S]*user create\|list\|delete/],
    ];
    const results = await Promise.all(cases.map(([args]) => runHush(args, { env: localEnv() })));
    results.forEach((result, i) => {
      expect(result.code, cases[i]?.[0].join(' ')).toBe(0);
      expect(result.stdout).toMatch(cases[i]?.[1] ?? /never/);
    });
    const unknown = await runHush(['token', 'mint'], { env });
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^hush: unknown command 'token mint'\./),
    });
  });
});
