import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalOf } from '../../test/helpers/refusal.js';
import { createAuditService } from '../audit/audit-service.js';
import { loadConfig } from '../config/config.js';
import { createPassphraseHasher, type PassphraseHasher } from '../crypto/passphrase-hasher.js';
import { SETTING_DEFINITIONS, type SettingsReader } from '../settings/setting-definitions.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../storage/storage.js';
import { userIdentity } from './token-identity.js';
import { createTokenService } from './token-service.js';
import type { TokenService } from './token-types.js';
import { createUserService, type UserService } from './user-service.js';

/** The account read at sign-in is deleted before its session is stored: the window of the race. */
describe('token service: an account deleted during its sign-in', () => {
  let dir: string;
  let storage: SqlStorage;
  let hasher: PassphraseHasher;
  let users: UserService;
  let tokens: TokenService;
  const client = { ip: '192.0.2.7', userAgent: 'test' };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-tokens-deleted-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    hasher = createPassphraseHasher({ threads: 1 });
    const config = loadConfig({});
    const settings: SettingsReader = { get: (key) => SETTING_DEFINITIONS[key].fallback(config) as never };
    const audit = createAuditService({ events: storage.events });
    users = createUserService({ store: storage.users, hasher, audit });
    tokens = createTokenService({ store: storage.tokens, users, audit, settings });
  });
  afterAll(async () => {
    await hasher?.close();
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a password sign-in as a wrong password would, a GitHub one as refused, storing nothing', async () => {
    const dora = await users.create({ username: 'dora', role: 'user', password: 'dora password 0123' });
    const wrong = await refusalOf(tokens.login('dora', 'not her password', { client, method: 'password' }));
    await users.delete('dora');
    expect(await refusalOf(tokens.issue(userIdentity(dora), { client, method: 'password' }))).toEqual(wrong);
    expect(await refusalOf(tokens.issue(userIdentity(dora), { client, method: 'github' }))).toMatchObject({
      code: 'github_not_allowed',
    });
    expect(await storage.tokens.listSessions({ kind: 'user', id: dora.id }, Date.now())).toEqual([]);
    const events = (await storage.events.list({}, 0, 50)).events.map((e) => e.type);
    expect(events).not.toContain('TOKEN_CREATE');
  });
});
