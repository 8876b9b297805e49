import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../src/cli/export-command.js';
import { runImportCommand } from '../src/cli/import-command.js';
import { type ListeningHush, listeningHush, memoryIo } from './helpers/cli-io.js';
import { runHush } from './helpers/cli-process.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './helpers/hush-fixture.js';

/**
 * `hush run`, `export` and `import` against a real hush (SQLite, listening on loopback) through
 * the native KV API: `run` as its own process (the command inherits its stdio), the others
 * in-process. Refusals that need no server: test/cli-run-usage.test.ts.
 */
const DB_PASSWORD = 'db-password-canary-8c1f';
const STRIPE_KEY = 'sk_live_canary_51d2';
const TRICKY = `multi\nline "quoted" it's $HOME \\n`;

let server: ListeningHush;
let dir: string;
let adminToken: string;
let env: Record<string, string>;

const api = async (method: string, name: string, body?: unknown, token = adminToken) => {
  const response = await fetch(`${server.url}/api/v1/kv/data/${name}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
};
const put = async (name: string, data: Record<string, string>) => {
  const written = await api('PUT', name, { data });
  expect(written.status, JSON.stringify(written.body)).toBe(200);
};
const signInWith = async (scope: string) => {
  const response = await fetch(`${server.url}/api/v1/token/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'password',
      username: ADMIN_USERNAME,
      password: ADMIN_PASSWORD,
      scope,
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
};

/** A command that prints what it got: the listed variables (absent ones as null) and its argv. */
const SHOW = `const keys = process.argv.slice(1);
process.stdout.write(JSON.stringify({ env: Object.fromEntries(keys.map((k) => [k, process.env[k] ?? null])), argv: process.argv }));`;
const run = (args: string[], extraEnv: Record<string, string> = {}, input?: string) =>
  runHush(['run', ...args], { env: { ...env, ...extraEnv }, ...(input !== undefined && { input }) });
const show = async (args: string[], keys: string[], extraEnv: Record<string, string> = {}) => {
  const result = await run([...args, '--', process.execPath, '-e', SHOW, ...keys], extraEnv);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { env: Record<string, string | null>; argv: string[] };
};
const inProcess = async (
  command: typeof runExportCommand,
  args: string[],
  options: { input?: string; token?: string } = {},
) => {
  const io = memoryIo({
    env: { HUSH_URL: server.url, HUSH_TOKEN: options.token ?? adminToken, HUSH_CONFIG_DIR: dir },
    input: options.input ?? '',
  });
  const code = await command(args, io);
  return { code, out: io.out(), err: io.err() };
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-run-'));
  server = await listeningHush();
  adminToken = server.fixture.adminAuth.authorization.slice('Bearer '.length);
  env = { HUSH_URL: server.url, HUSH_TOKEN: adminToken, HUSH_CONFIG_DIR: dir };
  await put('apps/billing/db', { DB_URL: 'postgres://db.internal/billing', DB_PASSWORD });
  await put('apps/billing/stripe', { STRIPE_KEY, TRICKY });
  await put('apps/other/db', { DB_URL: 'postgres://elsewhere' });
  await put('apps/bad-names', { 'db-url': DB_PASSWORD });
  await put('apps/shadow', { HOME: '/from/the/secret' });
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hush run', () => {
  it('gives the command every key of every secret, and nothing in its argv or hush’s output', async () => {
    const got = await show(
      ['--secret', 'apps/billing/db,apps/billing/stripe'],
      ['DB_URL', 'DB_PASSWORD', 'STRIPE_KEY', 'TRICKY', 'HUSH_TOKEN', 'HUSH_URL'],
    );
    expect(got.env).toEqual({
      DB_URL: 'postgres://db.internal/billing',
      DB_PASSWORD,
      STRIPE_KEY,
      TRICKY,
      // The command does not get hush's credentials; the server's address is no secret.
      HUSH_TOKEN: null,
      HUSH_URL: server.url,
    });
    for (const value of [DB_PASSWORD, STRIPE_KEY]) expect(got.argv.join(' ')).not.toContain(value);
    expect(server.fixture.logs.join('\n')).not.toContain(DB_PASSWORD);
  });

  it('--secret may repeat; --keep-token passes HUSH_TOKEN on', async () => {
    const got = await show(
      ['--secret', 'apps/billing/db', '--secret', 'apps/billing/stripe', '--keep-token'],
      ['DB_PASSWORD', 'STRIPE_KEY', 'HUSH_TOKEN'],
    );
    expect(got.env).toEqual({ DB_PASSWORD, STRIPE_KEY, HUSH_TOKEN: adminToken });
  });

  it('exits with the command’s code, and passes stdin through', async () => {
    const echo = 'process.stdin.pipe(process.stdout); process.stdin.on("end", () => process.exit(7))';
    const result = await run(
      ['--secret', 'apps/billing/db', '--', process.execPath, '-e', echo],
      {},
      'piped in\n',
    );
    expect(result).toEqual({ code: 7, stdout: 'piped in\n', stderr: '' });
    const missing = await run(['--secret', 'apps/billing/db', '--', 'no-such-command-hush-test']);
    expect(missing).toEqual({
      code: 127,
      stdout: '',
      stderr: "hush: command not found: 'no-such-command-hush-test'\n",
    });
  });

  it('refuses a key in two secrets, naming both, and does not start the command', async () => {
    const result = await run([
      '--secret',
      'apps/billing/db,apps/other/db',
      '--',
      process.execPath,
      '-e',
      'console.log("ran")',
    ]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: "hush: the key 'DB_URL' is in both apps/billing/db and apps/other/db: name only one of them\n",
    });
  });

  it('refuses a key that is no variable name, naming secret and key but not the value', async () => {
    const result = await run(['--secret', 'apps/bad-names', '--', process.execPath, '-e', '']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^hush: secret apps\/bad-names has the key 'db-url', which is not an environment/,
    );
    expect(result.stderr).not.toContain(DB_PASSWORD);
  });

  it('refuses to shadow an inherited variable unless --override', async () => {
    const refused = await run(['--secret', 'apps/shadow', '--', process.execPath, '-e', ''], {
      HOME: '/home/me',
    });
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'hush: already set in this environment: HOME (from apps/shadow); unset it, or give --override to let the secret win\n',
    });
    const got = await show(['--secret', 'apps/shadow', '--override'], ['HOME'], { HOME: '/home/me' });
    expect(got.env).toEqual({ HOME: '/from/the/secret' });
  });

  it('a missing secret is exit 1 naming it; a token without secrets:read is refused', async () => {
    const missing = await run(['--secret', 'apps/billing/db,apps/nope', '--', process.execPath, '-e', '']);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'hush: no such secret: apps/nope (or this token may not read it)\n',
    });
    const writeOnly = await signInWith('secrets:write');
    const refused = await run(['--secret', 'apps/billing/db', '--', process.execPath, '-e', ''], {
      HUSH_TOKEN: writeOnly,
    });
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: 'hush: the token does not carry the scope this needs (secrets:read)\n',
    });
    const dead = await run(['--secret', 'apps/billing/db', '--', process.execPath, '-e', ''], {
      HUSH_TOKEN: 'hush_at_revoked-or-never-issued',
    });
    expect(dead.code).toBe(1);
    expect(dead.stderr).toBe(
      'hush: the token is invalid, expired or revoked: run hush login, or set a new HUSH_TOKEN\n',
    );
  });
});

describe('hush export', () => {
  it('prints dotenv that the dotenv package reads back exactly, merged in order', async () => {
    const result = await inProcess(runExportCommand, ['apps/billing/db', 'apps/billing/stripe']);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toBe('');
    expect(result.out.split('\n')[0]).toBe('DB_URL="postgres://db.internal/billing"');
    expect({ ...parse(result.out) }).toEqual({
      DB_URL: 'postgres://db.internal/billing',
      DB_PASSWORD,
      STRIPE_KEY,
      TRICKY,
    });
  });

  it('prints shell exports and json; json takes keys that are no variable names', async () => {
    const shell = await inProcess(runExportCommand, ['--format', 'shell', 'apps/billing/stripe']);
    expect(shell.out).toBe(
      `export STRIPE_KEY='${STRIPE_KEY}'\nexport TRICKY='multi\nline "quoted" it'\\''s $HOME \\n'\n`,
    );
    const json = await inProcess(runExportCommand, ['--json', 'apps/bad-names']);
    expect(json).toEqual({ code: 0, out: `${JSON.stringify({ 'db-url': DB_PASSWORD })}\n`, err: '' });
    const dotenv = await inProcess(runExportCommand, ['apps/bad-names']);
    expect(dotenv.code).toBe(2);
    expect(dotenv.err).not.toContain(DB_PASSWORD);
  });

  it('refuses clashes as run does, and names a missing secret', async () => {
    expect(
      await inProcess(runExportCommand, ['--format', 'json', 'apps/billing/db', 'apps/other/db']),
    ).toEqual({
      code: 2,
      out: '',
      err: "hush: the key 'DB_URL' is in both apps/billing/db and apps/other/db: name only one of them\n",
    });
    expect((await inProcess(runExportCommand, ['apps/nope'])).err).toBe(
      'hush: no such secret: apps/nope (or this token may not read it)\n',
    );
  });
});

describe('hush import', () => {
  it('writes a .env file as a new secret, then a new version; --cas guards each write', async () => {
    const file = path.join(dir, '.env.production');
    writeFileSync(file, `# from the old host\nA=1\nB="two\\nlines"\nexport C='it is'\n`);
    const created = await inProcess(runImportCommand, ['apps/imported', '--from', file, '--cas', '0']);
    expect(created).toEqual({ code: 0, out: '', err: 'hush: created apps/imported version 1 (3 keys)\n' });
    expect((await api('GET', 'apps/imported')).body).toMatchObject({
      version: 1,
      data: { A: '1', B: 'two\nlines', C: 'it is' },
    });

    const again = await inProcess(runImportCommand, ['apps/imported', '--from', file, '--cas', '0']);
    expect(again).toEqual({
      code: 1,
      out: '',
      err: 'hush: apps/imported exists already (--cas 0 writes only a new secret)\n',
    });
    const json = path.join(dir, 'next.json');
    writeFileSync(json, JSON.stringify({ A: 'one' }));
    const next = await inProcess(runImportCommand, ['apps/imported', '--from', json, '--cas', '1', '--json']);
    expect(next.code, next.err).toBe(0);
    expect(JSON.parse(next.out)).toMatchObject({ name: 'apps/imported', version: 2, created: false });
    const stale = await inProcess(runImportCommand, ['apps/imported', '--from', json, '--cas', '1']);
    expect(stale).toEqual({
      code: 1,
      out: '',
      err: 'hush: apps/imported is not at version 1 (--cas): it changed since; nothing was written\n',
    });
    // The new version holds exactly the file's keys.
    expect((await api('GET', 'apps/imported')).body).toMatchObject({ version: 2, data: { A: 'one' } });
  });

  it('export | import copies a secret exactly, through stdin', async () => {
    const exported = await inProcess(runExportCommand, ['--format', 'json', 'apps/billing/stripe']);
    const imported = await inProcess(runImportCommand, ['apps/copy', '--from', '-', '--format', 'json'], {
      input: exported.out,
    });
    expect(imported).toEqual({ code: 0, out: '', err: 'hush: created apps/copy version 1 (2 keys)\n' });
    expect((await api('GET', 'apps/copy')).body).toMatchObject({ data: { STRIPE_KEY, TRICKY } });
    const dotenv = await inProcess(runExportCommand, ['apps/billing/stripe']);
    const back = await inProcess(
      runImportCommand,
      ['apps/copy-dotenv', '--from', '-', '--format', 'dotenv'],
      {
        input: dotenv.out,
      },
    );
    expect(back.code, back.err).toBe(0);
    expect((await api('GET', 'apps/copy-dotenv')).body).toMatchObject({ data: { STRIPE_KEY, TRICKY } });
  });

  it('a read-only token cannot import', async () => {
    const readOnly = await signInWith('secrets:read');
    const file = path.join(dir, 'ro.env');
    writeFileSync(file, 'A=1\n');
    expect(await inProcess(runImportCommand, ['apps/ro', '--from', file], { token: readOnly })).toEqual({
      code: 1,
      out: '',
      err: 'hush: the token does not carry the scope this needs (secrets:write)\n',
    });
  });
});
