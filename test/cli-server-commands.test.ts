import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import { createHush } from '../src/server.js';
import { runHush, runHushOnTerminal } from './helpers/cli-process.js';

/** The server-side commands as a shell runs them: their own process, the default log level. */
const hasScript = spawnSync('script', ['--version']).status === 0;
const PASSWORD = 'a password of the first line 42';

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-server-cmds-'));
  env = { HUSH_DATA_DIR: dir };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether `password` signs `username` in, on the commands' storage. */
async function passwordWorks(username: string, password: string): Promise<boolean> {
  const hush = await createHush(loadConfig({ HUSH_DATA_DIR: dir }), createLogger('silent'));
  try {
    return (await hush.users.verifyPassword(username, password)) !== undefined;
  } finally {
    await hush.close();
  }
}

const listUsers = async () => {
  const listed = await runHush(['user', 'list', '--json'], { env });
  expect(listed.code, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as { users: { username: string }[] }).users.map((u) => u.username);
};

describe('server-side commands', () => {
  it('log to stderr: stdout holds only the answer, so `hush user list --json | jq` works', async () => {
    const migrated = await runHush(['migrate'], { env });
    expect(migrated).toMatchObject({ code: 0, stdout: '' });
    expect(migrated.stderr).toContain('"msg":"migrations applied"');

    const listed = await runHush(['user', 'list', '--json'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ total: 0, users: [] });
    // The logs are still there, at the default level, on stderr.
    expect(listed.stderr).toMatch(/"msg":"opening SQLite storage"/);
  }, 120_000);

  it('`user create` reads the first line of a piped stdin; an empty one is refused before any change', async () => {
    const made = await runHush(['user', 'create', 'bob'], { env, input: `${PASSWORD}\nnot the password\n` });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toBe('created user bob\n');
    expect(made.stdout + made.stderr).not.toContain(PASSWORD);
    expect(await passwordWorks('bob', PASSWORD)).toBe(true);

    const crlf = await runHush(['user', 'create', 'bea'], { env, input: `${PASSWORD}\r\n` });
    expect(crlf.code, crlf.stderr).toBe(0);
    expect(await passwordWorks('bea', PASSWORD)).toBe(true);

    const empty = await runHush(['user', 'create', 'nobody'], { env, input: '\nsecond line' });
    expect(empty).toMatchObject({ code: 2, stdout: '' });
    expect(empty.stderr).toMatch(/^hush: no password on standard input/);
    expect(await listUsers()).not.toContain('nobody');
  }, 120_000);

  it('`user create --password-file` reads the file', async () => {
    const file = path.join(dir, 'pw');
    writeFileSync(file, `${PASSWORD}\n`);
    const made = await runHush(['user', 'create', '--password-file', file, 'fay'], { env });
    expect(made.code, made.stderr).toBe(0);
    expect(await passwordWorks('fay', PASSWORD)).toBe(true);
  }, 120_000);

  it.skipIf(!hasScript)(
    '`user create` on a terminal asks twice without echo and refuses a mismatch',
    async () => {
      const made = await runHushOnTerminal(
        ['user', 'create', 'carol'],
        [`${PASSWORD}\r`, `${PASSWORD}\r`],
        env,
      );
      expect(made.code, made.screen).toBe(0);
      expect(made.screen).toContain('Password for carol: ');
      expect(made.screen).toContain('Repeat the password: ');
      expect(made.screen).toContain('created user carol');
      expect(made.screen).not.toContain(PASSWORD);
      expect(await passwordWorks('carol', PASSWORD)).toBe(true);

      const mismatch = await runHushOnTerminal(
        ['user', 'create', 'dave'],
        [`${PASSWORD}\r`, `${PASSWORD}x\r`],
        env,
      );
      expect(mismatch.code, mismatch.screen).toBe(2);
      expect(mismatch.screen).toContain('hush: the passwords do not match; nothing was created');
      expect(mismatch.screen).not.toContain(PASSWORD);
      expect(await listUsers()).not.toContain('dave');
    },
    120_000,
  );

  describe('an address that cannot be listened on', () => {
    let taken: Server;
    let port: number;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      port = (taken.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

    it('a port in use is one line naming HUSH_PORT, exit 2, no stack', async () => {
      const served = await runHush(['serve'], { env: { ...env, HUSH_PORT: String(port) } });
      expect(served.code).toBe(2);
      expect(served.stderr).toBe(
        `hush: port ${port} on 127.0.0.1 is already in use: stop the other server or set HUSH_PORT\n`,
      );
    }, 60_000);

    it('a host that is not this machine names HUSH_HOST', async () => {
      // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
      const served = await runHush(['serve'], { env: { ...env, HUSH_HOST: '192.0.2.1', HUSH_PORT: '0' } });
      expect(served.code).toBe(2);
      expect(served.stderr).toBe(
        'hush: 192.0.2.1 is not an address of this machine: set HUSH_HOST (127.0.0.1, or 0.0.0.0 for all)\n',
      );
    }, 60_000);
  });
});
