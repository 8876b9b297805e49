import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMachineCommand } from '../src/cli/machine-command.js';
import { type ListeningHush, listeningHush, memoryIo } from './helpers/cli-io.js';
import { runHush } from './helpers/cli-process.js';
import { userSession } from './helpers/hush-fixture.js';

/**
 * `hush machine …` against a real hush (SQLite, loopback) through the /api/v1/machines routes, and
 * what the identities it makes can do: sign in with role_id + secret_id, read what their policy
 * allows with `hush run`. Refusals that need no server: test/cli-machine-usage.test.ts.
 */
let server: ListeningHush;
let dir: string;
let adminToken: string;

const machine = async (args: string[], token = adminToken) => {
  const io = memoryIo({ env: { HUSH_URL: server.url, HUSH_TOKEN: token, HUSH_CONFIG_DIR: dir } });
  const code = await runMachineCommand(args, io);
  return { code, out: io.out(), err: io.err() };
};
const ok = async (args: string[]) => {
  const result = await machine(args);
  expect(result.code, result.err).toBe(0);
  return result;
};
const request = async (method: string, route: string, body?: unknown, token?: string) => {
  const response = await fetch(`${server.url}/api/v1${route}`, {
    method,
    headers: {
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
};
const machineLogin = (roleId: string, secretId: string) =>
  request('POST', '/machines/login', { role_id: roleId, secret_id: secretId });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-machine-'));
  server = await listeningHush();
  adminToken = server.fixture.adminAuth.authorization.slice('Bearer '.length);
  for (const [name, data] of [
    ['apps/ci/deploy', { DEPLOY_KEY: 'deploy-key-canary' }],
    ['apps/billing/db', { DB_PASSWORD: 'not-for-ci' }],
  ] as const) {
    expect((await request('PUT', `/kv/data/${name}`, { data }, adminToken)).status).toBe(200);
  }
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hush machine create, list, show', () => {
  it('creates a machine with its limits, networks and policies; --json is the API’s answer', async () => {
    const created = await ok([
      'create',
      'ci',
      '--json',
      '--token-ttl',
      '15m',
      '--token-max-ttl',
      '1h',
      '--token-uses',
      '100',
      '--secret-id-ttl',
      '1d',
      '--secret-id-uses',
      '5',
      '--token-cidr',
      '127.0.0.0/8',
      '--bind-cidr',
      '127.0.0.1/32',
      '--policy',
      'apps/ci/**=read,list',
    ]);
    expect(JSON.parse(created.out)).toMatchObject({
      name: 'ci',
      role: 'user',
      role_id: expect.any(String),
      token_ttl_seconds: 900,
      token_max_ttl_seconds: 3600,
      token_num_uses: 100,
      secret_id_ttl_seconds: 86_400,
      secret_id_num_uses: 5,
      secret_id_bound_cidrs: ['127.0.0.1/32'],
      token_bound_cidrs: ['127.0.0.0/8'],
    });
    const policies = await request(
      'GET',
      '/sys/policies?subject_type=machine&subject=ci',
      undefined,
      adminToken,
    );
    expect(JSON.stringify(policies.body)).toContain('apps/ci/**');

    const plain = await ok(['create', 'plain-one']);
    expect(plain.out).toMatch(
      /^name: +plain-one\nrole_id: +\S+\nrole: +user\ntoken ttl: +the server default\n/,
    );
    expect(plain.err).toBe(
      'hush: created machine plain-one: hush machine secret-id create plain-one makes its secret_id\n',
    );
    expect(await machine(['create', 'ci'])).toEqual({
      code: 1,
      out: '',
      err: 'hush: a machine named ci exists\n',
    });
  });

  it('lists machines as a table (--json: {machines}) and shows one', async () => {
    const listed = await ok(['list']);
    expect(listed.out).toMatch(/^NAME +ROLE +TOKEN TTL +SECRET-ID TTL +SECRET-ID USES +CREATED\n/);
    expect(listed.out).toMatch(/^ci +user +15 minutes +1 day +5 +\S+$/m);
    expect(listed.out).toMatch(/^plain-one +user +default +none +unlimited +\S+$/m);
    const json = JSON.parse((await ok(['list', '--json'])).out) as { machines: { name: string }[] };
    expect(json.machines.map((m) => m.name).sort()).toEqual(['ci', 'plain-one']);
    const shown = await ok(['show', 'ci']);
    expect(shown.out).toMatch(/^token networks: +127\.0\.0\.0\/8$/m);
    expect(shown.out).toMatch(/^sign-in networks: +127\.0\.0\.1\/32$/m);
    expect(await machine(['show', 'nope'])).toEqual({
      code: 1,
      out: '',
      err: 'hush: no such machine: nope\n',
    });
  });

  it('is for admins only', async () => {
    const user = await userSession(server.fixture, 'not-an-admin');
    const refused = await machine(['list'], user.access_token);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /^hush: (machines are managed by admins|the token does not carry the scope this needs \(admin\))/,
    );
  });
});

describe('hush machine secret-id', () => {
  it('prints the secret_id alone on stdout; it signs the machine in; hush run reads what its policy allows', async () => {
    const roleId = (JSON.parse((await ok(['show', 'ci', '--json'])).out) as { role_id: string }).role_id;
    const issued = await ok(['secret-id', 'create', 'ci', '--uses', '2', '--ttl', '1h']);
    expect(issued.out).toMatch(/^\S+\n$/);
    const secretId = issued.out.trim();
    expect(issued.err).toMatch(
      /^hush: secret_id for ci \(shown once\): accessor \S+, 2 uses, expires \S+\n$/,
    );
    expect(issued.err).not.toContain(secretId);

    const signedIn = await machineLogin(roleId, secretId);
    expect(signedIn.status).toBe(200);
    const token = signedIn.body.access_token as string;
    const env = { HUSH_URL: server.url, HUSH_TOKEN: token, HUSH_CONFIG_DIR: dir };
    const allowed = await runHush(
      [
        'run',
        '--secret',
        'apps/ci/deploy',
        '--',
        process.execPath,
        '-e',
        'process.stdout.write(process.env.DEPLOY_KEY)',
      ],
      { env },
    );
    expect(allowed).toEqual({ code: 0, stdout: 'deploy-key-canary', stderr: '' });
    const denied = await runHush(['run', '--secret', 'apps/billing/db', '--', process.execPath, '-e', ''], {
      env,
    });
    expect(denied).toEqual({
      code: 1,
      stdout: '',
      stderr: 'hush: no such secret: apps/billing/db (or this token may not read it)\n',
    });
  });

  it('lists secret_ids by accessor, never the secret_id; revoke stops it signing in', async () => {
    const roleId = (JSON.parse((await ok(['show', 'ci', '--json'])).out) as { role_id: string }).role_id;
    const issued = JSON.parse((await ok(['secret-id', 'create', 'ci', '--json'])).out) as {
      secret_id: string;
      accessor: string;
    };
    const listed = await ok(['secret-id', 'list', 'ci']);
    expect(listed.out).toMatch(/^ACCESSOR +CREATED +EXPIRES +USES LEFT +NETWORKS\n/);
    expect(listed.out).toContain(issued.accessor);
    expect(listed.out).not.toContain(issued.secret_id);
    const json = JSON.parse((await ok(['secret-id', 'list', 'ci', '--json'])).out) as {
      secret_ids: { accessor: string }[];
    };
    expect(json.secret_ids.map((s) => s.accessor)).toContain(issued.accessor);

    expect(await ok(['secret-id', 'revoke', 'ci', issued.accessor])).toMatchObject({
      out: '',
      err: `hush: revoked the secret_id ${issued.accessor} of ci\n`,
    });
    expect((await machineLogin(roleId, issued.secret_id)).status).toBe(400);
    expect(await machine(['secret-id', 'revoke', 'ci', issued.accessor])).toEqual({
      code: 1,
      out: '',
      err: 'hush: no machine ci, or no live secret_id of it with that accessor\n',
    });
  });
});

describe('hush machine delete', () => {
  it('deletes the machine; its tokens stop at once', async () => {
    const roleId = (JSON.parse((await ok(['show', 'plain-one', '--json'])).out) as { role_id: string })
      .role_id;
    const secretId = (await ok(['secret-id', 'create', 'plain-one'])).out.trim();
    const token = (await machineLogin(roleId, secretId)).body.access_token as string;
    expect((await request('GET', '/token/lookup-self', undefined, token)).status).toBe(200);

    expect(await ok(['delete', 'plain-one', '--json'])).toMatchObject({ out: '{"deleted":true}\n' });
    expect((await request('GET', '/token/lookup-self', undefined, token)).status).toBe(401);
    expect(await machine(['delete', 'plain-one'])).toEqual({
      code: 1,
      out: '',
      err: 'hush: no such machine: plain-one\n',
    });
  });
});
