import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../../test/helpers/refusal.js';
import { type AuditService, createAuditService } from '../audit/audit-service.js';
import { loadConfig } from '../config/config.js';
import { createPassphraseHasher, type PassphraseHasher } from '../crypto/passphrase-hasher.js';
import {
  SETTING_DEFINITIONS,
  type SettingKey,
  type SettingsReader,
} from '../settings/setting-definitions.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../storage/storage.js';
import { createMachineService } from './machine-service.js';
import type { MachineService } from './machine-types.js';
import { createTokenService } from './token-service.js';
import type { TokenService } from './token-types.js';
import { createUserService } from './user-service.js';

describe('machine service', () => {
  let dir: string;
  let storage: SqlStorage;
  let hasher: PassphraseHasher;
  let audit: AuditService;
  let tokens: TokenService;
  let machines: MachineService;
  const overrides = new Map<SettingKey, unknown>();
  const by = {
    actor: { kind: 'user', id: 'u-root', name: 'root' },
    client: { ip: '192.0.2.1', userAgent: 't' },
  } as const;
  const client = { ip: '192.0.2.7', userAgent: 'ci' };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-machines-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    hasher = createPassphraseHasher({ threads: 1 });
    const config = loadConfig({});
    const settings: SettingsReader = {
      get: (key) => (overrides.get(key) ?? SETTING_DEFINITIONS[key].fallback(config)) as never,
    };
    audit = createAuditService({ events: storage.events });
    const users = createUserService({ store: storage.users, hasher, audit });
    tokens = createTokenService({ store: storage.tokens, users, audit, settings });
    machines = createMachineService({ store: storage.machines, tokens, audit, settings });
  });
  afterAll(async () => {
    await hasher?.close();
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the policies given at creation with the machine and their events, in one step', async () => {
    const machine = await machines.create(
      'with-rules',
      { policies: [{ path: 'ci/**', capabilities: ['list', 'read'] }] },
      by,
    );
    const [rule] = await storage.policies.forActor({ kind: 'machine', id: machine.id }, 'nobody');
    expect(rule).toMatchObject({ subjectType: 'machine', path: 'ci/**', capabilities: ['read', 'list'] });
    const [event] = (await audit.list({ type: 'policy.created' }, 1, 10)).events;
    expect(event).toMatchObject({ data: { subject_type: 'machine', subject: 'with-rules' } });
    // A bad rule stores nothing, not even the machine.
    const bad = machines.create('bad-rules', { policies: [{ path: 'a/../b', capabilities: ['read'] }] }, by);
    expect(await codeOf(bad)).toBe('invalid_policy');
    expect(await codeOf(machines.get('bad-rules'))).toBe('not_found');
    expect(await codeOf(machines.create('with-rules', {}, by))).toBe('machine_exists');
  });

  it('keeps secret_ids within the machine’s limits and networks', async () => {
    await machines.create(
      'limited',
      { secretIdTtlSeconds: 600, secretIdNumUses: 2, secretIdBoundCidrs: ['10.0.0.0/8'] },
      by,
    );
    const made = await machines.createSecretId('limited', {}, by);
    expect(made).toMatchObject({ usesLeft: 2, cidrs: undefined });
    expect((made.expiresAt?.getTime() ?? 0) - made.createdAt.getTime()).toBe(600_000);
    for (const input of [{ ttlSeconds: 601 }, { ttlSeconds: 0 }, { numUses: 3 }, { numUses: 0 }]) {
      expect(await codeOf(machines.createSecretId('limited', input, by)), JSON.stringify(input)).toBe(
        'invalid_machine',
      );
    }
    expect(await codeOf(machines.createSecretId('limited', { cidrs: ['11.0.0.0/8'] }, by))).toBe(
      'invalid_machine',
    );
    expect(await codeOf(machines.createSecretId('limited', { cidrs: ['10.0.0.0/7'] }, by))).toBe(
      'invalid_machine',
    );
    expect((await machines.createSecretId('limited', { cidrs: ['10.1.2.3/16'] }, by)).cidrs).toEqual([
      '10.1.2.3/16',
    ]);
    const badLabels = { metadata: { 'not ok': 'x' } };
    expect(await codeOf(machines.createSecretId('limited', badLabels, by))).toBe('invalid_machine');
    expect(await codeOf(machines.createSecretId('nobody', {}, by))).toBe('not_found');
    expect(await codeOf(machines.revokeSecretId('limited', 'no-such-accessor', by))).toBe('not_found');
  });

  it('signs in exactly N times with a secret_id of N uses, under 3N concurrent sign-ins', async () => {
    const machine = await machines.create('racer', {}, by);
    const { secretId } = await machines.createSecretId('racer', { numUses: 4 }, by);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => machines.login(machine.roleId, secretId, client)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r.reason as { code: string }).code);
    expect(new Set(refused)).toEqual(new Set(['invalid_grant']));
  });

  it('caps a machine’s sessions by the token settings as they are at sign-in', async () => {
    const machine = await machines.create('capped', { tokenTtlSeconds: 1800, tokenNumUses: 1 }, by);
    expect(await codeOf(machines.create('too-long', { tokenTtlSeconds: 3601 }, by))).toBe('invalid_machine');
    overrides.set('tokens.access_ttl_seconds', 600);
    try {
      const { secretId } = await machines.createSecretId('capped', {}, by);
      const issued = await machines.login(machine.roleId, secretId, client);
      expect([issued.expiresIn, issued.refreshToken]).toEqual([600, undefined]);
      const principal = await tokens.authenticate(issued.accessToken, client.ip);
      expect([principal.kind, principal.name, principal.token.usesLeft]).toEqual(['machine', 'capped', 0]);
      expect(await codeOf(tokens.authenticate(issued.accessToken, client.ip))).toBe('invalid_token');
    } finally {
      overrides.clear();
    }
  });

  it('changes only the fields given, and audits which', async () => {
    const before = await machines.create('changing', { tokenBoundCidrs: ['192.0.2.0/24'] }, by);
    const after = await machines.update('changing', { role: 'admin', tokenBoundCidrs: [] }, by);
    expect(after).toMatchObject({ role: 'admin', tokenBoundCidrs: undefined, roleId: before.roleId });
    const [event] = (await audit.list({ type: 'machine.updated' }, 1, 1)).events;
    expect(event?.data).toEqual({ name: 'changing', fields: 'role,token_bound_cidrs' });
    expect(
      await codeOf(machines.update('changing', { tokenMaxTtlSeconds: 60, tokenTtlSeconds: 120 }, by)),
    ).toBe('invalid_machine');
    expect(await codeOf(machines.update('nobody', {}, by))).toBe('not_found');
  });
});
