import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../../test/helpers/refusal.js';
import { createAuditService } from '../audit/audit-service.js';
import { createPassphraseHasher, type PassphraseHasher } from '../crypto/passphrase-hasher.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../storage/storage.js';
import { createUserService, type UserService } from './user-service.js';

describe('user service: GitHub accounts', () => {
  let dir: string;
  let storage: SqlStorage;
  let hasher: PassphraseHasher;
  let users: UserService;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-users-gh-'));
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

  it('keeps the gh. prefix for GitHub accounts: a local account cannot take one', async () => {
    const input = { username: 'GH.octocat', role: 'admin', password: 'correct horse battery staple' };
    expect(await codeOf(users.create(input))).toBe('invalid_user');
    expect(await codeOf(users.bootstrapAdmin('gh.root', input.password))).toBe('invalid_user');
    expect(await users.create({ ...input, username: 'ghost' })).toMatchObject({ username: 'ghost' });
  });

  it('creates a passwordless account that no password, not even an empty one, signs into', async () => {
    const user = await users.syncGithubAccount({ id: 1, login: 'Octocat', email: 'not an email' }, 'user');
    expect(user).toMatchObject({ username: 'gh.octocat', role: 'user', email: undefined });
    expect(await users.verifyPassword('gh.octocat', '')).toBeUndefined();
    expect(await users.verifyPassword('gh.octocat', 'anything at all')).toBeUndefined();
  });

  it('finds the account by id after a rename and sets the role given', async () => {
    const first = await users.syncGithubAccount(
      { id: 2, login: 'hubot', email: 'hubot@example.com' },
      'admin',
    );
    const again = await users.syncGithubAccount({ id: 2, login: 'hubot-2', email: undefined }, 'user');
    expect(again).toMatchObject({
      id: first.id,
      username: 'gh.hubot',
      role: 'user',
      email: 'hubot@example.com',
    });
  });

  it('answers username_taken when the name belongs to another GitHub id', async () => {
    await users.syncGithubAccount({ id: 3, login: 'dup', email: undefined }, 'user');
    expect(await codeOf(users.syncGithubAccount({ id: 4, login: 'DUP', email: undefined }, 'user'))).toBe(
      'username_taken',
    );
  });

  it('creates an account once when its first sign-ins race', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        users.syncGithubAccount({ id: 5, login: 'racer', email: undefined }, 'user'),
      ),
    );
    expect(new Set(results.map((u) => u.id)).size).toBe(1);
  });
});
