import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPolicyCommand } from '../src/cli/policy-command.js';
import { type ListeningHush, listeningHush, memoryIo } from './helpers/cli-io.js';
import { userSession } from './helpers/hush-fixture.js';

let server: ListeningHush;
let adminToken: string;
let userToken: string;
beforeAll(async () => {
  server = await listeningHush();
  adminToken = server.fixture.adminAuth.authorization.replace(/^Bearer /, '');
  userToken = (await userSession(server.fixture, 'alice')).access_token;
});
afterAll(() => server?.close());

/** `hush policy …` with HUSH_TOKEN (an admin's unless told) and HUSH_URL naming the test server. */
const policy = async (args: string[], token = adminToken) => {
  const io = memoryIo({ env: { HUSH_URL: server.url, HUSH_TOKEN: token } });
  const code = await runPolicyCommand(args, io);
  return { code, out: io.out(), err: io.err() };
};

describe('hush policy (HUSH_TOKEN of an admin)', () => {
  it('adds a policy and prints its id; list shows it, for everyone or for its subject', async () => {
    const added = await policy([
      'add',
      '--role',
      'user',
      '--path',
      'apps/**',
      '--capabilities',
      'read, list',
    ]);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/^\S+\n$/);
    expect(added.err).toBe('hush: role user may now read, list on apps/**\n');
    const id = added.out.trim();

    const table = await policy(['list']);
    expect(table.code, table.err).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^ID +SUBJECT +PATH +CAPABILITIES$/);
    expect(table.out).toMatch(new RegExp(`^${id} +role:user +apps/\\*\\* +read,list$`, 'm'));

    const mine = await policy(['list', '--role', 'user', '--json']);
    expect(JSON.parse(mine.out)).toEqual({
      policies: [
        {
          id,
          subject_type: 'role',
          subject: 'user',
          path: 'apps/**',
          capabilities: ['read', 'list'],
          created_at: expect.any(String),
        },
      ],
    });
    expect(JSON.parse((await policy(['list', '--role', 'admin', '--json'])).out)).toEqual({ policies: [] });
  });

  it('attaches a policy to one account by username, and removes it by id', async () => {
    const added = await policy([
      'add',
      '--user',
      'alice',
      '--path',
      'teams/alice/*',
      '--capabilities',
      'read',
      '--json',
    ]);
    expect(added.code, added.err).toBe(0);
    const created = JSON.parse(added.out) as { id: string; subject: string; subject_type: string };
    expect(created).toMatchObject({ subject_type: 'user', subject: 'alice' });
    expect(JSON.parse((await policy(['list', '--user', 'alice', '--json'])).out).policies).toHaveLength(1);

    expect(await policy(['remove', created.id])).toEqual({
      code: 0,
      out: '',
      err: `hush: removed policy ${created.id}\n`,
    });
    expect(await policy(['remove', created.id])).toEqual({
      code: 1,
      out: '',
      err: `hush: no such policy: ${created.id}\n`,
    });
    expect(JSON.parse((await policy(['list', '--user', 'alice', '--json'])).out).policies).toHaveLength(0);
  });

  it('words the server refusals: an unknown user, a bad glob, a non-admin', async () => {
    expect(await policy(['list', '--user', 'nobody'])).toEqual({
      code: 1,
      out: '',
      err: 'hush: no such user: nobody\n',
    });
    expect(await policy(['add', '--user', 'nobody', '--path', 'x', '--capabilities', 'read'])).toEqual({
      code: 1,
      out: '',
      err: 'hush: no such user: nobody\n',
    });
    const glob = await policy(['add', '--role', 'user', '--path', 'apps/a**', '--capabilities', 'read']);
    expect(glob).toEqual({
      code: 1,
      out: '',
      err: 'hush: the server refused the policy: "**" must be a whole path segment\n',
    });
    const denied = await policy(['list'], userToken);
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/^hush: policies are for admins: /);
  });

  it('refuses bad flags before any request (exit 2) and suggests a mistyped action', async () => {
    const cases: [string[], string][] = [
      [
        ['add', '--path', 'x', '--capabilities', 'read'],
        'hush: whose policy? give --role, --user or --machine\n',
      ],
      [
        ['add', '--role', 'user', '--user', 'alice', '--path', 'x', '--capabilities', 'read'],
        'hush: choose one of --role, --user and --machine\n',
      ],
      [
        ['add', '--role', 'user', '--capabilities', 'read'],
        'hush: --path is needed (see hush policy add --help)\n',
      ],
      [
        ['add', '--role', 'user', '--path', 'x', '--capabilities', 'read,write'],
        'hush: --capabilities: "write" is not one of read, list, create, update, delete, deny\n',
      ],
      [
        ['add', '--role', 'user', '--path', 'x'],
        'hush: --capabilities is needed: some of read, list, create, update, delete, deny\n',
      ],
      [['remove', '../../token/revoke'], 'hush: not a policy id (see hush policy list)\n'],
      [['remove'], 'hush: wrong number of arguments (see hush policy remove --help)\n'],
      [['lsit'], "hush: unknown command 'policy lsit'. Did you mean 'policy list'?\n"],
    ];
    for (const [args, err] of cases) {
      // A token that would fail: nothing here may reach the server.
      expect(await policy(args, 'hush_at_never_sent'), args.join(' ')).toEqual({ code: 2, out: '', err });
    }
    for (const args of [['--help'], ['add', '--help'], ['list', '-h'], ['remove', '--help']]) {
      const help = await policy(args);
      expect(help.code).toBe(0);
      expect(help.out).toMatch(/^usage: hush policy/);
    }
  });
});
