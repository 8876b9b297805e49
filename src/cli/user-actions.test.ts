import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, type HushFixture, login, makeHush } from '../../test/helpers/hush-fixture.js';
import { createLogger } from '../logging/logger.js';
import { runUserCommand } from './user-command.js';

const BOB_PASSWORD = 'bob password 0123456789';
const logger = createLogger('silent');

let fixture: HushFixture;

/** `hush user …` in-process on the fixture's own storage, as a second process would open it. */
const user = async (args: string[], input = '') => {
  let out = '';
  let err = '';
  vi.spyOn(process, 'stdin', 'get').mockReturnValue(
    Readable.from([Buffer.from(input)]) as typeof process.stdin,
  );
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await runUserCommand(args, fixture.config, logger), out, err };
  } finally {
    vi.restoreAllMocks();
  }
};
const usernames = async () => {
  const listed = await user(['list', '--json']);
  expect(listed.code, listed.err).toBe(0);
  const json = JSON.parse(listed.out) as { total: number; users: Record<string, unknown>[] };
  return json.users.map((u) => u.username);
};

beforeAll(async () => {
  fixture = await makeHush();
});
afterAll(() => fixture?.close());
afterEach(() => vi.restoreAllMocks());

describe('hush user create, list and delete (in-process)', () => {
  it('creates an account from the password on stdin (one trailing newline dropped); it signs in', async () => {
    expect(await user(['create', '--email', 'bob@example.com', 'bob'], `${BOB_PASSWORD}\n`)).toEqual({
      code: 0,
      out: 'created user bob\n',
      err: '',
    });
    await expect(login(fixture.hush.app, 'bob', BOB_PASSWORD)).resolves.toMatchObject({
      token_type: 'Bearer',
    });
    expect((await user(['create', '--admin', 'carol'], 'carol password 0123456789')).out).toBe(
      'created admin carol\n',
    );
    expect(await user(['create', 'bob'], BOB_PASSWORD)).toMatchObject({ code: 1, out: '' });
    const invalid = await user(['create', 'no spaces allowed'], BOB_PASSWORD);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/^hush: /);
    expect(invalid.err).not.toContain(BOB_PASSWORD);
    expect((await user(['create', '--help'])).out).toMatch(/^usage: hush user create/);
  });

  it('lists every account as a table or as the API JSON, never a password hash', async () => {
    const listed = await user(['list', '--json']);
    const json = JSON.parse(listed.out) as { total: number; users: Record<string, unknown>[] };
    expect(json.total).toBe(3);
    expect(json.users.map((u) => u.username).sort()).toEqual(['admin', 'bob', 'carol']);
    expect(Object.keys(json.users[0] ?? {}).sort()).toEqual([
      'created_at',
      'email',
      'id',
      'role',
      'username',
    ]);
    const table = await user(['list']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^USERNAME +ROLE +EMAIL +CREATED\n/);
    expect(table.out).toMatch(/^bob +user +bob@example\.com +\d{4}-\d\d-\d\dT\S+$/m);
    expect(table.out).toMatch(/^carol +admin +- +\d{4}-/m);
    expect(table.out).not.toMatch(/argon2|\$/);
    expect((await user(['list', '-h'])).out).toMatch(/hush user list \[--json\]/);
  });

  it('deletes an account: its tokens stop at once, user.deleted is audited; an unknown one is refused', async () => {
    const bob = await login(fixture.hush.app, 'bob', BOB_PASSWORD);
    const lookupSelf = () =>
      fixture.hush.app.inject({ url: '/api/v1/token/lookup-self', headers: bearer(bob.access_token) });
    expect((await lookupSelf()).statusCode).toBe(200);
    expect(await user(['delete', 'bob'])).toEqual({
      code: 0,
      out: 'deleted bob: its sessions and tokens no longer work\n',
      err: '',
    });
    expect((await lookupSelf()).statusCode).toBe(401);
    expect(await usernames()).not.toContain('bob');
    const events = await fixture.hush.app.inject({
      url: '/api/v1/events?type=user.deleted',
      headers: fixture.adminAuth,
    });
    expect(events.json().events).toEqual([
      expect.objectContaining({
        type: 'user.deleted',
        actor: expect.objectContaining({ kind: 'system' }),
        data: { username: 'bob' },
      }),
    ]);

    expect(await user(['delete', 'bob'])).toEqual({ code: 1, out: '', err: 'hush: no such user\n' });
    expect((await user(['delete', '--help'])).out).toMatch(/hush user delete <username>/);
    expect(await user(['delete', '--force', 'carol'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--force/),
    });
    expect(await usernames()).toContain('carol');
  });
});
