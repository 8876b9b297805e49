import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoginCommand } from '../src/cli/login-command.js';
import { runSecretCommand } from '../src/cli/secret-command.js';
import { type ListeningHush, listeningHush, type MemoryIoOptions, memoryIo } from './helpers/cli-io.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, userSession } from './helpers/hush-fixture.js';

/*
 * `hush secret` end to end against the native KV routes (/api/v1/kv/…). Those routes come with the
 * KV branch: until it is merged, the server answers 404 route_not_found and these tests fail.
 */
const NAME = 'apps/billing/db';
const PASSWORD = 'correct horse battery staple\n';

let server: ListeningHush;
let root: string;
let env: NodeJS.ProcessEnv;
let passwordFile: string;
beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'hush-cli-secrets-'));
  passwordFile = path.join(root, 'db-password');
  writeFileSync(passwordFile, PASSWORD);
  server = await listeningHush();
  env = { HUSH_URL: server.url, HUSH_CONFIG_DIR: path.join(root, 'config') };
  const io = memoryIo({ env, input: `${ADMIN_PASSWORD}\n` });
  expect(await runLoginCommand(['--username', ADMIN_USERNAME, '--password-stdin'], io), io.err()).toBe(0);
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** `hush secret …` as the signed-in admin (the saved login), unless `options.env` says otherwise. */
const secret = async (args: string[], options: MemoryIoOptions = {}) => {
  const io = memoryIo({ ...options, env: options.env ?? env });
  const code = await runSecretCommand(args, io);
  return { code, out: io.out(), err: io.err() };
};
const ok = async (args: string[], options: MemoryIoOptions = {}) => {
  const result = await secret(args, options);
  expect(result.code, `${args.join(' ')}: ${result.err}`).toBe(0);
  return result;
};

describe('hush secret put, get, list (signed in with hush login)', () => {
  it('stores KEY=VALUE, KEY=@file and stdin JSON in one version, and reads it back exactly', async () => {
    const put = await ok(['put', NAME, 'user=billing', `password=@${passwordFile}`, '-'], {
      input: JSON.stringify({ token: 'tok\u001b[31m' }),
    });
    expect(put).toEqual({ code: 0, out: '', err: `hush: stored ${NAME} version 1 (new secret)\n` });

    // Piped: the data as one JSON object; --field: the value exactly, its newline and escape kept.
    expect((await ok(['get', NAME])).out).toBe(
      `${JSON.stringify({ user: 'billing', password: PASSWORD, token: 'tok\u001b[31m' })}\n`,
    );
    expect((await ok(['get', NAME, '--field', 'password'])).out).toBe(PASSWORD);
    expect((await ok(['get', NAME, '--field', 'user'])).out).toBe('billing');
    expect((await ok(['get', NAME, '--field', 'user'], { stdoutTTY: true })).out).toBe('billing\n');

    // On a terminal: a table, with a value holding a control character shown quoted.
    const table = (await ok(['get', NAME], { stdoutTTY: true })).out.split('\n');
    expect(table[0]).toMatch(new RegExp(`^${NAME}  version 1, created \\S+$`));
    expect(table.slice(1)).toEqual([
      'KEY       VALUE',
      'user      billing',
      `password  ${JSON.stringify(PASSWORD)}`,
      `token     ${JSON.stringify('tok\u001b[31m')}`,
      '',
    ]);

    const json = JSON.parse((await ok(['get', NAME, '--json'])).out) as Record<string, unknown>;
    expect(json).toMatchObject({
      name: NAME,
      version: 1,
      data: { user: 'billing' },
      deleted_at: null,
      destroyed: false,
    });

    const missing = await secret(['get', NAME, '--field', 'nope']);
    expect(missing).toEqual({
      code: 1,
      out: '',
      err: `hush: ${NAME} version 1 has no key "nope" (its keys: "user", "password", "token")\n`,
    });
    expect(await secret(['get', 'apps/nothing-here'])).toEqual({
      code: 1,
      out: '',
      err: 'hush: no such secret: apps/nothing-here\n',
    });
  });

  it('writes new versions with check-and-set, and reads an older one with --version', async () => {
    const name = 'apps/cas/db';
    await ok(['put', name, 'v=1', '--cas', '0']);
    expect(await secret(['put', name, 'v=again', '--cas', '0'])).toEqual({
      code: 1,
      out: '',
      err: `hush: --cas 0 does not hold: ${name} exists\n`,
    });
    await ok(['put', name, 'v=2', '--cas', '1']);
    expect(await secret(['put', name, 'v=stale', '--cas', '1'])).toEqual({
      code: 1,
      out: '',
      err: `hush: --cas 1 does not hold: ${name} is not at version 1\n`,
    });
    const third = JSON.parse((await ok(['put', name, 'v=3', '--json', '--ttl', '1h'])).out) as Record<
      string,
      unknown
    >;
    expect(third).toMatchObject({ name, version: 3, created: false, expires_at: expect.any(String) });
    expect((await ok(['get', name, '--version', '2', '--field', 'v'])).out).toBe('2');
    expect((await ok(['get', name, '--field', 'v'])).out).toBe('3');
    const combined = [...(await secret(['put', name, 'v=x', '--cas', '1'])).err].join('');
    expect(combined).not.toContain('v=x');
  });

  it('lists one folder level, full names by default, the API keys with --json', async () => {
    await ok(['put', 'apps/billing/api', 'k=v']);
    expect((await ok(['list'])).out.split('\n')).toContain('apps/');
    expect((await ok(['list', 'apps'])).out).toMatch(/^apps\/billing\/$/m);
    expect((await ok(['list', 'apps/billing/'])).out).toBe('apps/billing/api\napps/billing/db\n');
    expect(JSON.parse((await ok(['list', 'apps/billing', '--json'])).out)).toEqual({ keys: ['api', 'db'] });
    expect(await ok(['list', 'empty/folder'])).toEqual({ code: 0, out: '', err: '' });
  });
});

describe('hush secret versions, delete, undelete, destroy, metadata', () => {
  const name = 'apps/life/db';
  it('soft-deletes, undeletes and destroys versions, and shows each state', async () => {
    await ok(['put', name, 'v=1']);
    await ok(['put', name, 'v=2']);
    expect(await ok(['delete', name])).toMatchObject({
      err: `hush: deleted the current version of ${name}\n`,
    });
    expect(await secret(['get', name])).toEqual({
      code: 1,
      out: '',
      err: `hush: the current version of ${name} is deleted (hush secret undelete ${name} --versions N)\n`,
    });
    const versions = (await ok(['versions', name])).out.split('\n');
    expect(versions[0]).toMatch(/^VERSION +CREATED +STATE$/);
    expect(versions[1]).toMatch(/^1 +\S+ +live$/);
    expect(versions[2]).toMatch(/^2 +\S+ +deleted \S+ \(current\)$/);

    expect(await ok(['undelete', name, '--versions', '2'])).toMatchObject({
      err: `hush: undeleted version 2 of ${name}\n`,
    });
    expect((await ok(['get', name, '--field', 'v'])).out).toBe('2');
    expect(await ok(['destroy', name, '--versions', '1'])).toMatchObject({
      err: `hush: destroyed version 1 of ${name}\n`,
    });
    expect(await secret(['get', name, '--version', '1'])).toEqual({
      code: 1,
      out: '',
      err: `hush: version 1 of ${name} is destroyed: its data is gone\n`,
    });
    const json = JSON.parse((await ok(['versions', name, '--json'])).out) as {
      versions: { destroyed: boolean }[];
    };
    expect(json.versions.map((v) => v.destroyed)).toEqual([true, false]);

    await ok(['delete', name, '--versions', '2', '--json']);
    expect(await secret(['undelete', name])).toEqual({
      code: 2,
      out: '',
      err: 'hush: --versions is needed (see hush secret undelete --help)\n',
    });
    expect(await ok(['destroy', name, '--all', '--json'])).toEqual({
      code: 0,
      out: `{"name":"${name}","destroyed":"all"}\n`,
      err: '',
    });
    expect((await secret(['get', name])).err).toBe(`hush: no such secret: ${name}\n`);
  });

  it('shows and changes the settings: max versions, cas required, delete after, custom labels', async () => {
    const meta = 'apps/meta/db';
    await ok(['put', meta, 'v=1']);
    const shown = (await ok(['metadata', meta])).out;
    expect(shown).toMatch(/^name: +apps\/meta\/db$/m);
    expect(shown).toMatch(/^cas required: +no$/m);
    const changed = await ok([
      'metadata',
      meta,
      '--max-versions',
      '5',
      '--cas-required',
      '--delete-after',
      '30d',
      '--custom',
      'owner=ops',
      '--custom',
      'team=billing',
      '--json',
    ]);
    expect(JSON.parse(changed.out)).toMatchObject({
      max_versions: 5,
      cas_required: true,
      delete_version_after_seconds: 30 * 86_400,
      custom_metadata: { owner: 'ops', team: 'billing' },
    });
    const refused = await secret(['put', meta, 'v=2']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      new RegExp(`requires --cas <its current version> \\(see hush secret metadata ${meta}\\)\\n$`),
    );
    await ok(['put', meta, 'v=2', '--cas', '1']);
    const lifted = await ok(['metadata', meta, '--no-cas-required', '--delete-after', '0']);
    expect(lifted.err).toBe(`hush: changed the settings of ${meta}\n`);
    expect(lifted.out).toMatch(/^cas required: +no$/m);
    expect(lifted.out).toMatch(/^delete after: +never$/m);
    expect(lifted.out).toMatch(/^custom: +owner=ops, team=billing$/m);
  });
});

describe('hush secret: access and input checks', () => {
  it('a user without a policy can neither read nor write; HUSH_TOKEN is used instead of the login', async () => {
    const bob = await userSession(server.fixture, 'bob');
    const asBob = { env: { ...env, HUSH_TOKEN: bob.access_token } };
    const read = await secret(['get', NAME], asBob);
    expect(read).toEqual({ code: 1, out: '', err: `hush: no such secret: ${NAME}\n` });
    const write = await secret(['put', 'apps/bob/x', 'k=hunter2'], asBob);
    expect(write.code).toBe(1);
    expect(write.err).not.toContain('hunter2');
  });

  it('refuses bad names and bad flags before any request (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['get', '../token/revoke'], /^hush: not a secret name/],
      [['put', 'apps//x', 'k=v'], /^hush: not a secret name/],
      [['put', NAME], /^hush: nothing to store/],
      [['put', NAME, 'k=v', '--cas', '1.5'], /^hush: --cas must be a whole number of at least 0/],
      [['put', NAME, 'k=v', '--ttl', 'forever'], /^hush: --ttl must be a duration/],
      [['get', NAME, '--version', '0'], /^hush: --version must be a whole number of at least 1/],
      [['get', NAME, '--field', 'k', '--json'], /^hush: choose --field or --json, not both/],
      [['delete', NAME, '--versions', 'latest'], /^hush: --versions must be version numbers/],
      [['destroy', NAME], /^hush: --versions is needed/],
      [
        ['metadata', NAME, '--cas-required', '--no-cas-required'],
        /^hush: choose --cas-required or --no-cas-required/,
      ],
      [['metadata', NAME, '--custom', 'novalue'], /^hush: --custom takes key=value/],
      [['lsit'], /^hush: unknown command 'secret lsit'\. Did you mean 'secret list'\?/],
      [[], /^hush: which action\?\nusage: hush secret/],
    ];
    for (const [args, err] of cases) {
      const result = await secret(args, { env: { HUSH_URL: 'http://127.0.0.1:1', HUSH_TOKEN: 'hush_at_x' } });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err, args.join(' ')).toMatch(err);
    }
    for (const action of ['put', 'get', 'list', 'versions', 'delete', 'undelete', 'destroy', 'metadata']) {
      const help = await secret([action, '--help']);
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`^usage: hush secret ${action}`));
    }
  });
});
