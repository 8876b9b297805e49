import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  answer,
  type ListeningHush,
  listeningHush,
  memoryIo,
  stubServer,
} from '../../test/helpers/cli-io.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from '../../test/helpers/hush-fixture.js';
import { freePort } from '../../test/servers/free-port.js';
import type { CliIo } from './client-command.js';
import { runTokenCommand } from './token-command.js';

// No controlling terminal, whoever runs the tests: a prompt must refuse, never wait for a key.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = (...args: Parameters<typeof fs.openSync>) => {
    if (args[0] === '/dev/tty') throw Object.assign(new Error('no such device'), { code: 'ENXIO' });
    return fs.openSync(...args);
  };
  return { ...fs, default: { ...fs, openSync }, openSync };
});

const WRONG_PASSWORD = 'not the admin password 42';

interface TokenJson {
  access_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope: string;
  session_id: string;
}

let server: ListeningHush;
let dir: string;
let passwordFile: string;

const file = (name: string, content: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};
/** `hush token …` through its dispatcher, with HUSH_URL naming the test server. */
const token = async (args: string[], options: Parameters<typeof memoryIo>[0] = {}) => {
  const io: CliIo & { out(): string; err(): string } = memoryIo({
    ...options,
    env: { HUSH_URL: server.url, ...options.env },
  });
  const code = await runTokenCommand(args, io);
  return { code, out: io.out(), err: io.err() };
};
const create = async (args: string[] = []) => {
  const result = await token([
    'create',
    '--json',
    '--username',
    ADMIN_USERNAME,
    '--password-file',
    passwordFile,
    ...args,
  ]);
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as TokenJson;
};
const lookup = (access: string, args: string[] = []) =>
  token(['lookup', ...args], { env: { HUSH_TOKEN: access } });
const lookupJson = async (access: string) => {
  const result = await lookup(access, ['--json']);
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as Record<string, unknown>;
};
/** Nothing secret in what a command told the user on stderr. */
const expectNoLeak = (err: string, ...values: string[]) => {
  for (const value of [ADMIN_PASSWORD, WRONG_PASSWORD, ...values]) expect(err).not.toContain(value);
  expect(err).not.toMatch(/hush_[ar]t_/);
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-token-inproc-'));
  server = await listeningHush();
  passwordFile = file('admin-password', `${ADMIN_PASSWORD}\n`);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hush token create (in-process)', () => {
  it('prints only the access token on stdout; --json gives the whole token response', async () => {
    const plain = await token(['create', '--username', ADMIN_USERNAME, '--password-file', passwordFile]);
    expect(plain.code, plain.err).toBe(0);
    expect(plain.out).toMatch(/^hush_at_\S+\n$/);
    expect(plain.err).toMatch(
      /^hush: signed in as admin: scope secrets:read secrets:write shares:write admin, expires in \d+ s; --json also prints the refresh token\n$/,
    );
    expectNoLeak(plain.err, plain.out.trim());
    const shown = await lookup(plain.out.trim());
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(
      /^user: +admin \(admin\)\nscopes: +secrets:read secrets:write shares:write admin\n/,
    );
    expect(shown.out).toMatch(/^uses left: +unlimited$/m);
    expect(shown.out).toMatch(/^bound to: +any address$/m);
    expect(shown.out).not.toContain(plain.out.trim());

    const json = await create();
    expect(Object.keys(json).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_expires_in',
      'refresh_token',
      'scope',
      'session_id',
      'token_type',
    ]);
    expect(json).toMatchObject({ token_type: 'Bearer', refresh_token: expect.stringMatching(/^hush_rt_/) });
  });

  it('a wrong password or an unknown account is exit 1, worded alike, with nothing secret shown', async () => {
    const wrongFile = file('wrong-password', WRONG_PASSWORD);
    for (const username of [ADMIN_USERNAME, 'nobody-here']) {
      const result = await token(['create', '--username', username, '--password-file', wrongFile]);
      expect(result).toEqual({ code: 1, out: '', err: 'hush: wrong username or password\n' });
    }
  });

  it('passes scope, ttl, max uses and networks through: lookup shows them and counts uses', async () => {
    const limited = await token([
      'create',
      '--username',
      ADMIN_USERNAME,
      '--password-file',
      passwordFile,
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
    expect(limited.code, limited.err).toBe(0);
    // Counted uses are not renewable: no refresh token, and the note says so.
    expect(limited.err).toMatch(/scope secrets:read, expires in \d+ s; not renewable\n$/);
    const access = limited.out.trim();
    expect(await lookupJson(access)).toMatchObject({
      user: { username: 'admin', role: 'admin' },
      scopes: ['secrets:read'],
      uses_left: 2,
      bound_cidrs: ['127.0.0.0/8', '10.0.0.0/8'],
    });
    const text = await lookup(access);
    expect(text.out).toMatch(/^uses left: +1$/m);
    expect(text.out).toMatch(/^bound to: +127\.0\.0\.0\/8 10\.0\.0\.0\/8$/m);
    expect((await lookup(access)).code).toBe(0);
    expect(await lookup(access)).toEqual({
      code: 1,
      out: '',
      err: 'hush: the token is invalid, expired or revoked\n',
    });

    const elsewhere = await create(['--cidr', '10.0.0.0/8']);
    expect((await lookup(elsewhere.access_token)).code).toBe(1);
    const bound = await lookupJson((await create(['--bind-ip'])).access_token);
    expect(bound.bound_cidrs).toEqual([
      expect.stringMatching(/^127\.0\.0\.1\/32$|^::ffff:127\.0\.0\.1\/128$/),
    ]);
  });

  it('refuses bad options locally (exit 2) and names the flag the server refused (exit 1)', async () => {
    const base = ['create', '--username', ADMIN_USERNAME, '--password-file', passwordFile];
    const cases: [string[], number, RegExp][] = [
      [[...base, '--ttl', 'soon'], 2, /^hush: --ttl must be a duration/],
      [[...base, '--max-ttl', 'later'], 2, /^hush: --max-ttl must be a duration/],
      [[...base, '--max-uses', '0'], 2, /^hush: --max-uses must be a whole number/],
      [[...base, 'extra'], 2, /wrong number of arguments \(see hush token create --help\)/],
      [['create', '--username', ' ', '--password-file', passwordFile], 2, /--username is needed/],
      [['create', '--password-file', passwordFile], 2, /--username is needed/],
      [[...base, '--server', 'ftp://x'], 2, /--server must be an http\(s\) URL/],
      [[...base, '--scope', 'root'], 1, /^hush: --scope names a scope/],
      [[...base, '--cidr', 'everywhere'], 1, /^hush: --cidr was refused by the server: bound_cidrs must be/],
      [[...base, '--max-ttl', '5000w'], 1, /^hush: --max-ttl was refused by the server/],
      // No terminal and no file: it stops before sending anything.
      [
        ['create', '--username', ADMIN_USERNAME],
        2,
        /no terminal to ask for the password on: use --password-file/,
      ],
      [
        ['create', '--username', ADMIN_USERNAME, '--password-file', file('empty', '\n')],
        2,
        /the password file .* is empty/,
      ],
      [
        [...base, '--server', `http://127.0.0.1:${await freePort()}`],
        3,
        /cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
      ],
    ];
    for (const [args, code, message] of cases) {
      const result = await token(args);
      expect({ args, code: result.code }).toEqual({ args, code });
      expect(result.err).toMatch(message);
      expect(result.out).toBe('');
      expectNoLeak(result.err);
    }
  });
});

describe('hush token lookup, revoke and renew (in-process)', () => {
  it('lookup and revoke take the token from HUSH_TOKEN or stdin, never from an argument', async () => {
    const viaEnv = await create();
    const viaStdin = await token(['lookup', '--json', '-'], { input: `${viaEnv.access_token}\n` });
    expect(viaStdin.code, viaStdin.err).toBe(0);
    expect(JSON.parse(viaStdin.out)).toMatchObject({ session_id: viaEnv.session_id, uses_left: null });
    const text = await lookup(viaEnv.access_token);
    expect(text.out).toContain(viaEnv.session_id);

    const asArgument = await token(['lookup', viaEnv.access_token]);
    expect(asArgument).toMatchObject({
      code: 2,
      err: expect.stringMatching(/never taken as an argument.*HUSH_TOKEN/),
    });
    expectNoLeak(asArgument.err, viaEnv.access_token);
    const none = await token(['lookup']);
    expect(none).toMatchObject({ code: 2, err: expect.stringMatching(/no token: set HUSH_TOKEN/) });
    const refreshAsAccess = await lookup(viaEnv.refresh_token ?? '');
    expect(refreshAsAccess.err).toMatch(
      /^hush: HUSH_TOKEN holds a refresh token; this needs the access token\n$/,
    );
    expectNoLeak(refreshAsAccess.err, viaEnv.refresh_token ?? '');
    const notOurs = await lookup('ghp_0123456789');
    expect(notOurs).toMatchObject({
      code: 2,
      err: 'hush: HUSH_TOKEN does not hold a hush access token (hush_at_…)\n',
    });
    const spaced = await token(['lookup', '-'], { input: 'two words' });
    expect(spaced).toMatchObject({ code: 2, err: 'hush: stdin does not hold a hush token\n' });
    const flood = await token(['lookup', '-'], { input: 'x'.repeat(5000) });
    expect(flood).toMatchObject({ code: 2, err: 'hush: stdin holds more than one token\n' });
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('i/o error'), { code: 'EIO' }));
      },
    });
    expect(await token(['lookup', '-'], { input: failing })).toMatchObject({
      code: 4,
      err: 'hush: cannot read standard input (EIO)\n',
    });
    // On a terminal, `-` asks without echo; with no terminal to ask on, it refuses.
    const terminal = await token(['lookup', '-'], { stdinTTY: true });
    expect(terminal).toMatchObject({
      code: 2,
      err: expect.stringMatching(/no terminal to ask for the token on: pipe the token in/),
    });

    const revoked = await token(['revoke'], { env: { HUSH_TOKEN: viaEnv.access_token } });
    expect(revoked).toEqual({
      code: 0,
      out: '',
      err: 'hush: revoked: the session of this token has ended\n',
    });
    const after = await lookup(viaEnv.access_token);
    expect(after).toEqual({ code: 1, out: '', err: 'hush: the token is invalid, expired or revoked\n' });

    const other = await create();
    const byRefresh = await token(['revoke', '--json', '-'], { input: other.refresh_token });
    expect(byRefresh).toEqual({ code: 0, out: '{"revoked":true}\n', err: '' });
    expect((await lookup(other.access_token)).code).toBe(1);
  });

  it('renew trades the refresh token on stdin for new tokens; replaying the old one ends the session', async () => {
    const first = await create();
    const renewed = await token(['renew'], { input: `${first.refresh_token}\n` });
    expect(renewed.code, renewed.err).toBe(0);
    const [access, refresh, ...rest] = renewed.out.split('\n');
    expect(access).toMatch(/^hush_at_/);
    expect(refresh).toMatch(/^hush_rt_/);
    expect(rest).toEqual(['']);
    expect(await lookupJson(access ?? '')).toMatchObject({ session_id: first.session_id });

    const json = await token(['renew', '--json', '-'], { input: refresh });
    expect(json.code, json.err).toBe(0);
    const third = JSON.parse(json.out) as TokenJson;
    expect(third).toMatchObject({ token_type: 'Bearer', session_id: first.session_id });

    const replay = await token(['renew'], { input: first.refresh_token });
    expect(replay).toEqual({
      code: 1,
      out: '',
      err: 'hush: the refresh token is invalid, expired, already used or revoked\n',
    });
    expect((await lookup(third.access_token)).code).toBe(1);

    const accessGiven = await token(['renew'], { input: third.access_token });
    expect(accessGiven).toMatchObject({
      code: 2,
      err: 'hush: stdin holds an access token; this needs the refresh token\n',
    });
    const fromEnv = await token(['renew'], { env: { HUSH_TOKEN: third.access_token } });
    expect(fromEnv).toMatchObject({ code: 2, err: 'hush: no token on stdin\n' });
  });

  it('a proxy that is down is exit 3; a server that does not answer like hush is refused', async () => {
    let status = 502;
    const stub = await stubServer((_request, response) =>
      answer(response, status, status === 200 ? {} : 'bad gateway'),
    );
    const env = { HUSH_TOKEN: 'hush_at_x', HUSH_URL: stub.url };
    try {
      expect(await token(['lookup'], { env })).toMatchObject({
        code: 3,
        err: 'hush: the server is unavailable (HTTP 502): HTTP 502\n',
      });
      status = 200;
      const made = await token(['create', '--username', 'a', '--password-file', passwordFile], { env });
      expect(made).toMatchObject({ code: 1, err: 'hush: the server did not answer like a hush server\n' });
      const renewed = await token(['renew'], { env, input: 'hush_rt_x' });
      expect(renewed).toMatchObject({ code: 1, err: 'hush: the server did not answer like a hush server\n' });
    } finally {
      await stub.close();
    }
  });
});

describe('hush token (dispatch)', () => {
  it('has help for itself and each action; an unknown or missing action is usage, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--help'], /^usage: hush token create\|lookup\|revoke\|renew/],
      [['create', '--help'], /^usage: hush token create --username/],
      [['lookup', '--help'], /^usage: hush token lookup/],
      [['revoke', '-h'], /^usage: hush token revoke/],
      [['renew', '--help'], /^usage: hush token renew/],
    ];
    for (const [args, usage] of cases) {
      const result = await token(args);
      expect({ args, code: result.code }).toEqual({ args, code: 0 });
      expect(result.out).toMatch(usage);
    }
    const unknown = await token(['mint']);
    expect(unknown).toEqual({
      code: 2,
      out: '',
      err: "hush: unknown command 'token mint'. Run 'hush token --help' to see the commands.\n",
    });
    expect((await token(['lokup'])).err).toBe(
      "hush: unknown command 'token lokup'. Did you mean 'token lookup'?\n",
    );
    expect((await token([])).err).toMatch(/^hush: which action\?\nusage: hush token/);
  });
});
