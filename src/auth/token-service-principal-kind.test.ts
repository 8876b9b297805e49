import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeMachineSession } from '../../test/helpers/machine-session.js';
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

/**
 * A principal is its kind and id together. The machine's session is stored directly, for a machine
 * with the id of an existing account (the case where the two must not mix).
 */
describe('token service: the principal kind of a session', () => {
  let dir: string;
  let storage: SqlStorage;
  let hasher: PassphraseHasher;
  let audit: AuditService;
  let tokens: TokenService;
  /** The account whose id the machine shares. */
  let noraId: string;
  const client = { ip: '192.0.2.7', userAgent: 'test' };
  const password = 'nora password 0123';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-tokens-kind-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    hasher = createPassphraseHasher({ threads: 1 });
    const config = loadConfig({});
    const settings: SettingsReader = { get: (key) => SETTING_DEFINITIONS[key].fallback(config) as never };
    audit = createAuditService({ events: storage.events });
    const users = createUserService({ store: storage.users, hasher, audit });
    tokens = createTokenService({ store: storage.tokens, users, audit, settings });
    noraId = (await users.create({ username: 'nora', role: 'user', password })).id;
  });
  afterAll(async () => {
    await hasher?.close();
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const machineSession = (id: string) => storeMachineSession(storage, id, client.ip);
  const actorKind = async (type: string, sessionId: string) =>
    (await audit.list({ type }, 1, 100)).events.find((e) => e.subject?.id === sessionId)?.actor.kind;

  it('lists and revokes only the sessions of the same kind and id', async () => {
    const own = await tokens.login('nora', password, { client, method: 'password' });
    const machine = await machineSession(noraId);
    const asMachine = await tokens.authenticate(machine.access, client.ip);
    const asNora = await tokens.authenticate(own.accessToken, client.ip);
    expect([asMachine.kind, asMachine.id]).toEqual(['machine', noraId]);
    expect((await tokens.listSessions(asMachine)).map((s) => s.id)).toEqual([machine.sessionId]);
    expect((await tokens.listSessions(asNora)).map((s) => s.id)).toEqual([own.sessionId]);
    expect(await codeOf(tokens.revokeSession(asMachine, own.sessionId, client))).toBe('not_found');
    expect(await codeOf(tokens.revokeSession(asNora, machine.sessionId, client))).toBe('not_found');
    expect((await tokens.authenticate(own.accessToken, client.ip)).sessionId).toBe(own.sessionId);
    await tokens.revokeSession(asMachine, machine.sessionId, client);
    expect(await actorKind('token.revoked', machine.sessionId)).toBe('machine');
  });

  it('audits a machine session’s renewal, reuse and revocation as the machine', async () => {
    const machine = await machineSession(noraId);
    const renewed = await tokens.renew(machine.refresh, client);
    expect(await actorKind('token.renewed', machine.sessionId)).toBe('machine');
    expect((await tokens.authenticate(renewed.accessToken, client.ip)).kind).toBe('machine');
    expect(await codeOf(tokens.renew(machine.refresh, client))).toBe('invalid_grant');
    expect(await actorKind('token.reused', machine.sessionId)).toBe('machine');
    const another = await machineSession(noraId);
    await tokens.revoke(another.access, client);
    expect(await actorKind('token.revoked', another.sessionId)).toBe('machine');
  });
});
