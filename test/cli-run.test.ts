import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_PASSWORD, type KvServer, STRIPE_KEY, startKvServer, TRICKY } from './cli-run-server.js';
import { runHush } from './helpers/cli-process.js';

/**
 * `hush run` against a real hush (SQLite, loopback) through the native KV API, as its own process
 * (the command inherits its stdio). Export and import: test/cli-run-export.test.ts; refusals that
 * need no server: test/cli-run-usage.test.ts.
 */
let kv: KvServer;

/** A command that prints what it got: the listed variables (absent ones as null) and its argv. */
const SHOW = `const keys = process.argv.slice(1);
process.stdout.write(JSON.stringify({ env: Object.fromEntries(keys.map((k) => [k, process.env[k] ?? null])), argv: process.argv }));`;
const run = (args: string[], extraEnv: Record<string, string> = {}, input?: string) =>
  runHush(['run', ...args], { env: { ...kv.env, ...extraEnv }, ...(input !== undefined && { input }) });
const show = async (args: string[], keys: string[], extraEnv: Record<string, string> = {}) => {
  const result = await run([...args, '--', process.execPath, '-e', SHOW, ...keys], extraEnv);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { env: Record<string, string | null>; argv: string[] };
};

beforeAll(async () => {
  kv = await startKvServer();
}, 60_000);
afterAll(() => kv?.close());

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
      HUSH_URL: kv.server.url,
    });
    for (const value of [DB_PASSWORD, STRIPE_KEY]) expect(got.argv.join(' ')).not.toContain(value);
    expect(kv.server.fixture.logs.join('\n')).not.toContain(DB_PASSWORD);
  });

  it('--secret may repeat; --keep-token passes HUSH_TOKEN on', async () => {
    const got = await show(
      ['--secret', 'apps/billing/db', '--secret', 'apps/billing/stripe', '--keep-token'],
      ['DB_PASSWORD', 'STRIPE_KEY', 'HUSH_TOKEN'],
    );
    expect(got.env).toEqual({ DB_PASSWORD, STRIPE_KEY, HUSH_TOKEN: kv.adminToken });
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

  it('refuses a secret’s NODE_OPTIONS though none is set here, naming it but not its value', async () => {
    const preload = path.join(kv.dir, 'injected.cjs');
    writeFileSync(preload, 'process.stdout.write("injected ");\n');
    const put = await kv.api('PUT', 'apps/loader', { data: { NODE_OPTIONS: `--require ${preload}` } });
    expect(put.status).toBe(200);
    const command = ['--', process.execPath, '-e', 'process.stdout.write("ran")'];
    const refused = await run(['--secret', 'apps/loader', ...command]);
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'hush: a secret may not set a loader, shell or interpreter variable, which decides what code the ' +
        'command runs: NODE_OPTIONS (from apps/loader); give --override to let it\n',
    });
    // What it would have done: --override lets the secret's module into the command.
    const overridden = await run(['--secret', 'apps/loader', '--override', ...command]);
    expect(overridden).toEqual({ code: 0, stdout: 'injected ran', stderr: '' });
  });

  it('a missing secret is exit 1 naming it; a token without secrets:read is refused', async () => {
    const missing = await run(['--secret', 'apps/billing/db,apps/nope', '--', process.execPath, '-e', '']);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'hush: no such secret: apps/nope (or this token may not read it)\n',
    });
    const writeOnly = await kv.signInWith('secrets:write');
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
    expect(dead.stderr).toBe('hush: HUSH_TOKEN is invalid, expired or revoked\n');
  });
});
