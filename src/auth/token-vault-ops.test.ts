import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../../test/helpers/refusal.js';
import { type AuditService, createAuditService } from '../audit/audit-service.js';
import { loadConfig } from '../config/config.js';
import { createPassphraseHasher, type PassphraseHasher } from '../crypto/passphrase-hasher.js';
import { SETTING_DEFINITIONS, type SettingsReader } from '../settings/setting-definitions.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../storage/storage.js';
import { createTokenService } from './token-service.js';
import type { TokenService } from './token-types.js';
import { createUserService } from './user-service.js';

/** renew-self and token create, as the Vault surface uses them, on a clock the test moves. */
describe('token service: renewAccess and createFor', () => {
  let dir: string;
  let storage: SqlStorage;
  let hasher: PassphraseHasher;
  let audit: AuditService;
  let tokens: TokenService;
  let clock = 1_800_000_000_000;
  const client = { ip: '192.0.2.7', userAgent: 'test' };
  const password = 'vera password 0123';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-tokens-vault-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    hasher = createPassphraseHasher({ threads: 1 });
    const config = loadConfig({});
    const settings: SettingsReader = { get: (key) => SETTING_DEFINITIONS[key].fallback(config) as never };
    audit = createAuditService({ events: storage.events, now: () => new Date(clock) });
    const users = createUserService({ store: storage.users, hasher, audit });
    tokens = createTokenService({ store: storage.tokens, users, audit, settings, now: () => clock });
    await users.create({ username: 'vera', role: 'user', password });
  });
  afterAll(async () => {
    await hasher?.close();
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const signIn = (extra = {}) =>
    tokens.login('vera', password, {
      client,
      method: 'password',
      ttlSeconds: 600,
      maxTtlSeconds: 3600,
      ...extra,
    });
  const eventsOf = async (type: string, sessionId: string) =>
    (await audit.list({ type }, 1, 100)).events.filter((e) => e.subject?.id === sessionId);

  it('extends the caller’s access token by the increment or its TTL, never past the session', async () => {
    const issued = await signIn();
    const caller = await tokens.authenticate(issued.accessToken, client.ip);
    clock += 500_000;
    expect((await tokens.renewAccess(caller, undefined, client)).expiresAt.getTime()).toBe(clock + 600_000);
    expect((await tokens.renewAccess(caller, 60, client)).expiresAt.getTime()).toBe(clock + 60_000);
    const capped = await tokens.renewAccess(caller, 86_400, client);
    expect(capped.expiresAt.getTime()).toBe(caller.token.sessionExpiresAt.getTime());
    const self = await tokens.authenticate(issued.accessToken, client.ip);
    expect(self.token.expiresAt).toEqual(capped.expiresAt);
    expect(await eventsOf('token.renewed', issued.sessionId)).toHaveLength(3);
    expect(await codeOf(tokens.renewAccess(caller, -1, client))).toBe('bad_request');
    await tokens.revoke(issued.accessToken, client);
    expect(await codeOf(tokens.renewAccess(caller, 60, client))).toBe('invalid_token');
    expect(await eventsOf('token.renewed', issued.sessionId)).toHaveLength(3);
  });

  it('makes a child session of the same principal within the caller’s scopes and life', async () => {
    const issued = await signIn({ scope: 'secrets:read' });
    const caller = await tokens.authenticate(issued.accessToken, client.ip);
    const child = await tokens.createFor(caller, { ttlSeconds: 86_400, displayName: 'deploy' }, client);
    expect(child.sessionId).not.toBe(issued.sessionId);
    expect(child.scope).toBe('secrets:read');
    expect(child.expiresIn).toBe(3600);
    const asChild = await tokens.authenticate(child.accessToken, client.ip);
    expect([asChild.kind, asChild.id, asChild.name]).toEqual(['user', caller.id, 'vera']);
    expect(asChild.token.sessionExpiresAt).toEqual(caller.token.sessionExpiresAt);
    expect((await tokens.listSessions(caller)).find((s) => s.id === child.sessionId)?.clientId).toBe(
      'deploy',
    );
    const [created] = await eventsOf('token.created', child.sessionId);
    expect(created).toMatchObject({ actor: { kind: 'user', name: 'vera' }, data: { method: 'token' } });

    const once = await tokens.createFor(caller, { numUses: 1 }, client);
    expect(once.refreshToken).toBeUndefined();
    expect((await tokens.authenticate(once.accessToken, client.ip)).token.usesLeft).toBe(0);
    expect(await codeOf(tokens.authenticate(once.accessToken, client.ip))).toBe('invalid_token');
    expect(await codeOf(tokens.createFor(caller, { ttlSeconds: 0 }, client))).toBe('bad_request');
    expect(await codeOf(tokens.createFor(caller, { displayName: 'a\nb' }, client))).toBe('bad_request');
  });

  it('refuses a caller with counted uses: no child is stored, and a counted token is not renewed', async () => {
    const once = await signIn({ maxUses: 1 });
    const caller = await tokens.authenticate(once.accessToken, client.ip);
    expect(caller.token.usesLeft).toBe(0);
    const other = await tokens.authenticate((await signIn()).accessToken, client.ip);
    const before = (await tokens.listSessions(other)).length;
    const created = (await audit.list({ type: 'token.created' }, 1, 1000)).events.length;
    expect(await codeOf(tokens.createFor(caller, {}, client))).toBe('bad_request');
    expect(await codeOf(tokens.createFor(caller, { numUses: 5 }, client))).toBe('bad_request');
    expect(await tokens.listSessions(other)).toHaveLength(before);
    expect((await audit.list({ type: 'token.created' }, 1, 1000)).events).toHaveLength(created);

    const counted = await tokens.createFor(other, { numUses: 3 }, client);
    expect(counted.refreshToken).toBeUndefined();
    const asCounted = await tokens.authenticate(counted.accessToken, client.ip);
    expect(await codeOf(tokens.renewAccess(asCounted, undefined, client))).toBe('bad_request');
    expect(await eventsOf('token.renewed', counted.sessionId)).toHaveLength(0);
  });
});
