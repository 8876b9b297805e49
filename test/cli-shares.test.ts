import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/audit/audit-types.js';
import { runLoginCommand } from '../src/cli/login-command.js';
import { runRevealCommand } from '../src/cli/reveal-command.js';
import { runShareCommand } from '../src/cli/share-command.js';
import { runSharesCommand } from '../src/cli/shares-command.js';
import { type ListeningHush, listeningHush, type MemoryIoOptions, memoryIo } from './helpers/cli-io.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, login } from './helpers/hush-fixture.js';

/** `hush share` while signed in makes the share the caller's; `hush shares` lists and burns it. */
const CLIENT = { ip: '127.0.0.1', userAgent: 'test', requestId: undefined };
let server: ListeningHush;
let root: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'hush-cli-shares-'));
  server = await listeningHush();
  env = { HUSH_URL: server.url, HUSH_CONFIG_DIR: path.join(root, 'config') };
  const io = memoryIo({ env, input: `${ADMIN_PASSWORD}\n` });
  expect(await runLoginCommand(['--username', ADMIN_USERNAME, '--password-stdin'], io), io.err()).toBe(0);
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

type Run = (args: readonly string[], io: ReturnType<typeof memoryIo>) => Promise<number>;
const run = async (command: Run, args: string[], options: MemoryIoOptions = {}) => {
  const io = memoryIo({ ...options, env: options.env ?? env });
  const code = await command(args, io);
  return { code, out: io.out(), err: io.err() };
};
const share = async (args: string[], options: MemoryIoOptions = {}) => {
  const result = await run(runShareCommand, ['-', ...args], { input: 'a shared text', ...options });
  expect(result.code, result.err).toBe(0);
  return result.out.trim();
};
const listed = async (options: MemoryIoOptions = {}) => {
  const result = await run(runSharesCommand, ['list', '--json'], options);
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as { total: number; shares: { id: string; state: string }[] };
};

describe('hush shares', () => {
  it('lists what hush share made while signed in, not what --anonymous made, and burns one by id', async () => {
    const link = await share(['--views', '2']);
    await share(['--anonymous']);
    const mine = await listed();
    expect(mine.total).toBe(1);
    const id = mine.shares[0]?.id ?? '';

    const table = await run(runSharesCommand, ['list']);
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^ID +STATE +VIEWS +CREATED +EXPIRES$/);
    expect(table.out).toContain(`${id}  pending  0/2`);
    expect(table.out).not.toContain(link.split('#')[1] ?? 'no fragment');

    const burned = await run(runSharesCommand, ['burn', id]);
    expect(burned).toEqual({ code: 0, out: '', err: `hush: burned ${id}: it cannot be revealed any more\n` });
    expect((await run(runRevealCommand, [link])).code).toBe(1);
    expect((await listed()).shares[0]).toMatchObject({ id, state: 'burned' });
    const again = await run(runSharesCommand, ['burn', id]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/no pending share of yours has this id/);
  });

  it('uses HUSH_TOKEN when set, and refuses bad input and a missing login in words', async () => {
    const token = (await login(server.fixture.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD)).access_token;
    const before = (await listed()).total;
    const tokenEnv = { HUSH_URL: server.url, HUSH_TOKEN: token, HUSH_CONFIG_DIR: path.join(root, 'none') };
    await share([], { env: tokenEnv });
    expect((await listed({ env: tokenEnv })).total).toBe(before + 1);

    const nobody = { HUSH_URL: server.url, HUSH_CONFIG_DIR: path.join(root, 'nobody') };
    // Nobody signed in: sharing stays anonymous; listing needs a login.
    await share([], { env: nobody });
    const refused = await run(runSharesCommand, ['list'], { env: nobody });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/not signed in: run hush login/);
    expect((await run(runSharesCommand, ['burn', 'not/an/id'])).code).toBe(2);
    expect((await run(runSharesCommand, ['list', '--page', '0'])).code).toBe(2);
    expect((await run(runSharesCommand, ['lsit'])).err).toMatch(/list/);
  });

  it('says what to do when the token lacks shares:write, or the server takes signed-in shares only', async () => {
    const app = server.fixture.hush.app;
    const narrow = (await login(app, ADMIN_USERNAME, ADMIN_PASSWORD, { scope: 'secrets:read' })).access_token;
    const narrowEnv = { HUSH_URL: server.url, HUSH_TOKEN: narrow, HUSH_CONFIG_DIR: path.join(root, 'none') };
    const refused = await run(runShareCommand, ['-'], { input: 'x', env: narrowEnv });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /does not carry the shares:write scope.*hush login again, or share with --anonymous/,
    );
    expect((await run(runShareCommand, ['-', '--anonymous'], { input: 'x', env: narrowEnv })).code).toBe(0);

    await server.fixture.hush.settings.set('shares.require_sign_in', true, SYSTEM, CLIENT);
    try {
      const nobody = { HUSH_URL: server.url, HUSH_CONFIG_DIR: path.join(root, 'nobody') };
      const anonymous = await run(runShareCommand, ['-'], { input: 'x', env: nobody });
      expect(anonymous.code).toBe(1);
      expect(anonymous.err).toMatch(/takes shares only from signed-in accounts: run hush login first/);
      await share([]);
    } finally {
      await server.fixture.hush.settings.set('shares.require_sign_in', false, SYSTEM, CLIENT);
    }
  });
});
