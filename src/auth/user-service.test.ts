import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalOf } from '../../test/helpers/refusal.js';
import { createAuditService } from '../audit/audit-service.js';
import { createPassphraseHasher, type PassphraseHasher } from '../crypto/passphrase-hasher.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../storage/storage.js';
import { createUserService, type UserService } from './user-service.js';

const PASSWORD = 'correct horse battery staple';

describe('user service', () => {
  let dir: string;
  let storage: SqlStorage;
  let hasher: PassphraseHasher;
  let users: UserService;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-users-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    hasher = createPassphraseHasher({ threads: 1 });
    users = createUserService({
      store: storage.users,
      hasher,
      audit: createAuditService({ events: storage.events }),
    });
  });
  afterAll(async () => {
    await hasher?.close();
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('normalizes usernames, so one name cannot be registered twice in another spelling', async () => {
    const created = await users.create({
      username: ' Ａlice ',
      email: 'alice@example.com',
      role: 'admin',
      password: PASSWORD,
    });
    expect(created).toMatchObject({ username: 'alice', role: 'admin', email: 'alice@example.com' });
    expect(Object.keys(created)).not.toContain('passwordHash');
    expect(
      await refusalOf(users.create({ username: 'ALICE', role: 'user', password: PASSWORD })),
    ).toMatchObject({
      code: 'username_taken',
    });
    expect((await users.get('Alice')).id).toBe(created.id);
  });

  it.each([
    [{ username: 'ab', role: 'user', password: PASSWORD }, /username/],
    [{ username: 'has space', role: 'user', password: PASSWORD }, /username/],
    [{ username: '-dash', role: 'user', password: PASSWORD }, /username/],
    [{ username: 'valid', role: 'root', password: PASSWORD }, /role must be one of admin, user/],
    [{ username: 'valid', role: 'user', password: 'short' }, /password must be 12/],
    [{ username: 'valid', role: 'user', password: PASSWORD, email: 'not-an-email' }, /email/],
  ])('refuses %j with a 400 naming the rule', async (input, message) => {
    const error = await refusalOf(users.create(input));
    expect(error.code).toBe('invalid_user');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(PASSWORD);
  });

  it('verifies passwords; an unknown user and a wrong password look the same', async () => {
    await users.create({ username: 'bob', role: 'user', password: PASSWORD });
    expect(await users.verifyPassword('BOB', PASSWORD)).toMatchObject({ username: 'bob' });
    expect(await users.verifyPassword('bob', 'wrong password!!')).toBeUndefined();
    expect(await users.verifyPassword('nobody', PASSWORD)).toBeUndefined();
  });

  it('lists and deletes, recording both in the audit log without the password', async () => {
    const page = await users.list(0, 10);
    expect(page.users.map((u) => u.username)).toEqual(['alice', 'bob']);
    await users.delete('Bob');
    expect(await refusalOf(users.delete('bob'))).toMatchObject({ code: 'not_found' });
    expect(await refusalOf(users.get('bob'))).toMatchObject({ code: 'not_found' });
    const events = await storage.events.list({}, 0, 10);
    expect(events.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['user.created', 'user.deleted']),
    );
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it('creates the bootstrap admin only while no admin exists, once among concurrent starts', async () => {
    // alice is already an admin: nothing to do, and she is the last one.
    expect(await users.bootstrapAdmin('root', PASSWORD)).toBe(false);
    expect(await refusalOf(users.delete('alice'))).toMatchObject({ code: 'last_admin' });
    // A database without an admin is what a first start begins with.
    const fresh = openSqliteStorage({ file: path.join(dir, 'fresh.db') });
    await fresh.migrate();
    const onFresh = createUserService({
      store: fresh.users,
      hasher,
      audit: createAuditService({ events: fresh.events }),
    });
    try {
      const results = await Promise.all([1, 2, 3].map(() => onFresh.bootstrapAdmin('Root', PASSWORD)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await onFresh.get('root')).toMatchObject({ role: 'admin' });
      await onFresh.create({ username: 'second', role: 'admin', password: PASSWORD });
      await onFresh.delete('root');
      expect(await refusalOf(onFresh.delete('second'))).toMatchObject({ code: 'last_admin' });
    } finally {
      await fresh.close();
    }
  });
});
