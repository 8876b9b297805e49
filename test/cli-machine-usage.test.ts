import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE_USAGE, runMachineCommand } from '../src/cli/machine-command.js';
import { MACHINE_CREATE_USAGE, policyFlag } from '../src/cli/machine-create-command.js';
import { table } from '../src/cli/machine-format.js';
import { MACHINE_SECRET_ID_USAGE } from '../src/cli/machine-secret-id-command.js';
import { memoryIo } from './helpers/cli-io.js';
import { runHush } from './helpers/cli-process.js';

/** What `hush machine` decides without a server. (With one: test/cli-machine.test.ts.) */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hush-cli-machine-usage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const machine = async (args: string[]) => {
  const io = memoryIo({ env: { HUSH_CONFIG_DIR: path.join(dir, 'config') } });
  const code = await runMachineCommand(args, io);
  return { code, out: io.out(), err: io.err() };
};

describe('hush machine: help and dispatch', () => {
  it('prints the usage of the command and of each action', async () => {
    expect(await machine(['--help'])).toEqual({ code: 0, out: MACHINE_USAGE, err: '' });
    expect(await machine(['create', '--help'])).toEqual({ code: 0, out: MACHINE_CREATE_USAGE, err: '' });
    expect(await machine(['secret-id', '--help'])).toEqual({
      code: 0,
      out: MACHINE_SECRET_ID_USAGE,
      err: '',
    });
    expect(await machine(['secret-id', 'create', '--help'])).toEqual({
      code: 0,
      out: MACHINE_SECRET_ID_USAGE,
      err: '',
    });
    for (const action of ['list', 'show', 'delete']) {
      const help = await machine([action, '--help']);
      expect(help.out).toMatch(new RegExp(`^usage: hush machine ${action}`));
    }
    expect(await machine([])).toEqual({ code: 2, out: '', err: `hush: which action?\n${MACHINE_USAGE}` });
    expect((await runHush(['help', 'machine'])).stdout).toBe(MACHINE_USAGE);
  });

  it('suggests the nearest action for a typo', async () => {
    expect(await machine(['lsit'])).toEqual({
      code: 2,
      out: '',
      err: "hush: unknown command 'machine lsit'. Did you mean 'machine list'?\n",
    });
    expect((await machine(['secret-id', 'revok', 'ci', 'x'])).err).toBe(
      "hush: unknown command 'machine secret-id revok'. Did you mean 'machine secret-id revoke'?\n",
    );
    expect((await runHush(['machin', 'list'])).stderr).toBe(
      "hush: unknown command 'machin'. Did you mean 'machine'?\n",
    );
  });
});

describe('hush machine: refusals before any request (exit 2)', () => {
  it('checks names, roles, durations, counts and policies', async () => {
    const cases: [string[], string][] = [
      [
        ['create', 'bad/name'],
        'a machine name is 1 to 128 letters, digits, ".", "_" or "-" (see hush machine --help)',
      ],
      [
        ['show', 'x'.repeat(129)],
        'a machine name is 1 to 128 letters, digits, ".", "_" or "-" (see hush machine --help)',
      ],
      [['create', 'ci', '--role', 'root'], '--role must be user or admin'],
      [['create', 'ci', '--token-ttl', 'soon'], '--token-ttl must be a duration like 3600, 30m, 1h or 2d'],
      [['create', 'ci', '--secret-id-uses', '0'], '--secret-id-uses must be a whole number of at least 1'],
      [
        ['create', 'ci', '--policy', 'apps/**'],
        "--policy takes <glob>=<capabilities>, e.g. 'apps/ci/**=read,list' (capabilities: read, list, create, update, delete, deny)",
      ],
      [
        ['create', 'ci', '--policy', 'apps/**=read,own'],
        "--policy takes <glob>=<capabilities>, e.g. 'apps/ci/**=read,list' (capabilities: read, list, create, update, delete, deny)",
      ],
      [['create'], 'wrong number of arguments (see hush machine create --help)'],
      [['secret-id', 'create', 'ci', '--uses', 'many'], '--uses must be a whole number of at least 1'],
      [['secret-id', 'revoke', 'ci'], 'wrong number of arguments (see hush machine secret-id --help)'],
      [['list'], 'not signed in: run hush login (or set HUSH_TOKEN)'],
    ];
    for (const [args, message] of cases) {
      expect({ args, ...(await machine(args)) }).toEqual({
        args,
        code: 2,
        out: '',
        err: `hush: ${message}\n`,
      });
    }
  });

  it('parses --policy as glob=capabilities, each capability once', () => {
    expect(policyFlag('apps/ci/**=read,list')).toEqual({
      path: 'apps/ci/**',
      capabilities: ['read', 'list'],
    });
    expect(policyFlag(' apps/* = read , read,deny ')).toEqual({
      path: 'apps/*',
      capabilities: ['read', 'deny'],
    });
    expect(() => policyFlag('=read')).toThrow(/--policy takes/);
    expect(() => policyFlag('apps/*=')).toThrow(/--policy takes/);
  });
});

describe('tables', () => {
  it('align every column but the last, two spaces apart', () => {
    expect(
      table([
        ['NAME', 'ROLE', 'CREATED'],
        ['ci-runner', 'user', 'today'],
        ['a', 'admin', ''],
      ]),
    ).toBe('NAME       ROLE   CREATED\nci-runner  user   today\na          admin\n');
  });
});
