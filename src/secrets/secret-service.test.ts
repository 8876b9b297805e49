import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditService, createAuditService } from '../audit/audit-service.js';
import { loadConfig } from '../config/config.js';
import { createKeyring } from '../crypto/keyring.js';
import { createLogger } from '../logging/logger.js';
import {
  SETTING_DEFINITIONS,
  type SettingKey,
  type SettingsReader,
} from '../settings/setting-definitions.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqlStorage } from '../storage/storage.js';
import type { BatchPolicyChecker, Capability } from './policy-types.js';
import { createSecretService, type SecretService } from './secret-service.js';
import type { SecretActor } from './secret-types.js';

type Grant = Exclude<Capability, 'deny'>;

/** Capabilities by user id and name prefix, deny winning: the smallest table for every rule. */
function tablePolicies(table: Record<string, Record<string, Capability[]>>): BatchPolicyChecker {
  const decide = (userId: string) => (name: string) => {
    const rows = Object.entries(table[userId] ?? {}).filter(([prefix]) => name.startsWith(prefix));
    const all = rows.flatMap(([, capabilities]) => capabilities);
    return new Set(all.includes('deny') ? [] : all.filter((c): c is Grant => c !== 'deny'));
  };
  return {
    capabilities: async (actor, name) => decide(actor.id)(name),
    decider: async (actor) => decide(actor.id),
  };
}

const ALL: Grant[] = ['read', 'list', 'create', 'update', 'delete'];
const owner: SecretActor = { kind: 'user', id: 'u-owner', name: 'owner', role: 'user' };
const reader: SecretActor = { kind: 'user', id: 'u-reader', name: 'reader', role: 'user' };
const stranger: SecretActor = { kind: 'user', id: 'u-stranger', name: 'stranger', role: 'user' };
const client = { ip: '127.0.0.1', userAgent: 'test' };

describe('secret service', () => {
  let dir: string;
  let storage: SqlStorage;
  let audit: AuditService;
  let secrets: SecretService;
  let clock: number;
  const overrides: Partial<Record<SettingKey, unknown>> = {};

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-secrets-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
    clock = Date.UTC(2030, 0, 1);
    const config = loadConfig({ HUSH_DATA_DIR: dir });
    const settings: SettingsReader = {
      get: (key) => (overrides[key] ?? SETTING_DEFINITIONS[key].fallback(config)) as never,
    };
    audit = createAuditService({ events: storage.events });
    secrets = createSecretService({
      store: storage.secrets,
      keyring: createKeyring({ store: storage.keyring, masterKey: randomBytes(32) }),
      policies: tablePolicies({
        'u-owner': { '': ALL },
        'u-reader': { 'team/': ['read', 'list'], 'team/hidden/': ['deny'] },
        'u-stranger': { 'team/open/': ['list'] },
      }),
      audit,
      settings,
      logger: createLogger('silent'),
      now: () => clock,
    });
  });
  afterEach(async () => {
    for (const key of Object.keys(overrides)) delete overrides[key as SettingKey];
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: { code?: string }) => error.code,
    );

  it('stores value and metadata encrypted, reads every kept version back, audits without values', async () => {
    const created = await secrets.create(
      owner,
      { name: 'team/db', value: 'pa55-Ünïcode', metadata: { env: 'prod' } },
      client,
    );
    expect(created).toMatchObject({ name: 'team/db', version: 1, expiresAt: undefined });
    clock += 1000;
    const updated = await secrets.update(owner, created.id, { value: 'second' }, client);
    expect(updated.version).toBe(2);
    expect(await secrets.get(reader, created.id, undefined, client)).toMatchObject({
      version: 2,
      value: 'second',
      metadata: {},
    });
    expect(await secrets.getByName(reader, 'team/db', 1, client)).toMatchObject({
      version: 1,
      value: 'pa55-Ünïcode',
      metadata: { env: 'prod' },
    });
    const versions = await secrets.versions(reader, created.id);
    expect(versions.map((v) => [v.version, v.keyVersion])).toEqual([
      [1, 1],
      [2, 1],
    ]);

    const { events } = await audit.list({}, 1, 100);
    expect(events.map((e) => [e.type, e.actor.name, e.subject?.id, e.data.version])).toEqual([
      ['secret.read', 'reader', created.id, 1],
      ['secret.read', 'reader', created.id, 2],
      ['secret.updated', 'owner', created.id, 2],
      ['secret.created', 'owner', created.id, 1],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/pa55|second|prod/);
  });

  it('answers 404 for what the actor may not read, 403 for a readable secret it may not change', async () => {
    const { id } = await secrets.create(owner, { name: 'team/hidden/x', value: 'v' }, client);
    const { id: shared } = await secrets.create(owner, { name: 'team/shared', value: 'v' }, client);
    for (const actor of [reader, stranger]) {
      expect(await codeOf(secrets.get(actor, id, undefined, client))).toBe('not_found');
      expect(await codeOf(secrets.versions(actor, id))).toBe('not_found');
      expect(await codeOf(secrets.update(actor, id, { value: 'x' }, client))).toBe('not_found');
      expect(await codeOf(secrets.delete(actor, id, client))).toBe('not_found');
    }
    expect(await codeOf(secrets.getByName(stranger, 'team/shared', undefined, client))).toBe('not_found');
    expect(await codeOf(secrets.update(reader, shared, { value: 'x' }, client))).toBe('forbidden');
    expect(await codeOf(secrets.delete(reader, shared, client))).toBe('forbidden');
    // Create without the capability is refused before the name is looked up.
    expect(await codeOf(secrets.create(reader, { name: 'team/shared', value: 'v' }, client))).toBe(
      'forbidden',
    );
    expect(await codeOf(secrets.create(reader, { name: 'team/new', value: 'v' }, client))).toBe('forbidden');
    expect(await codeOf(secrets.create(owner, { name: 'team/shared', value: 'v' }, client))).toBe(
      'secret_exists',
    );
    expect(await codeOf(secrets.get(owner, 'no-such-id', undefined, client))).toBe('not_found');
    expect(await codeOf(secrets.get(owner, shared, 7, client))).toBe('not_found');

    await secrets.delete(owner, shared, client);
    expect(await codeOf(secrets.get(owner, shared, undefined, client))).toBe('not_found');
    expect((await audit.list({ type: 'secret.deleted' }, 1, 10)).events[0]).toMatchObject({
      actor: { kind: 'user', id: 'u-owner', name: 'owner' },
      subject: { kind: 'secret', id: shared },
    });
  });

  it('validates names, value size, metadata and TTL', async () => {
    const bad = ['', '/a', 'a/', 'a//b', 'a/./b', '../a', 'a/..', 'a b', 'é', 'x'.repeat(257)];
    for (const name of bad) {
      expect(await codeOf(secrets.create(owner, { name, value: 'v' }, client)), name).toBe('invalid_secret');
    }
    expect(await codeOf(secrets.create(owner, { name: 'team/.a_b-c/D.9', value: '' }, client))).toBe('ok');
    overrides['secrets.max_bytes'] = 4;
    expect(await codeOf(secrets.create(owner, { name: 'team/big', value: 'ééé' }, client))).toBe(
      'secret_too_large',
    );
    expect(await codeOf(secrets.create(owner, { name: 'team/fits', value: 'éé' }, client))).toBe('ok');
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    for (const metadata of [many, { '': 'v' }, { ['k'.repeat(129)]: 'v' }, { k: 'v'.repeat(1025) }]) {
      expect(await codeOf(secrets.create(owner, { name: 'team/m', value: 'v', metadata }, client))).toBe(
        'invalid_secret',
      );
    }
    for (const ttlSeconds of [0, 315_360_001, 1.5]) {
      expect(await codeOf(secrets.create(owner, { name: 'team/t', value: 'v', ttlSeconds }, client))).toBe(
        'ttl_out_of_range',
      );
    }
  });

  it('hides a secret past its TTL from every call and frees its name', async () => {
    const { id, expiresAt } = await secrets.create(
      owner,
      { name: 'team/ttl', value: 'v', ttlSeconds: 60 },
      client,
    );
    expect(expiresAt?.getTime()).toBe(clock + 60_000);
    clock += 60_000;
    expect(await codeOf(secrets.get(owner, id, undefined, client))).toBe('not_found');
    expect(await codeOf(secrets.update(owner, id, { value: 'x' }, client))).toBe('not_found');
    expect((await secrets.list(owner, { prefix: 'team/', page: 1, pageSize: 10 })).total).toBe(0);
    const again = await secrets.create(owner, { name: 'team/ttl', value: 'new' }, client);
    expect((await secrets.get(owner, again.id, undefined, client)).value).toBe('new');
  });

  it('keeps at most secrets.max_versions versions', async () => {
    overrides['secrets.max_versions'] = 2;
    const { id } = await secrets.create(owner, { name: 'team/v', value: 'v1' }, client);
    await secrets.update(owner, id, { value: 'v2' }, client);
    await secrets.update(owner, id, { value: 'v3' }, client);
    expect((await secrets.versions(owner, id)).map((v) => v.version)).toEqual([2, 3]);
    expect(await codeOf(secrets.get(owner, id, 1, client))).toBe('not_found');
  });

  it('lists only names the actor may list, by prefix, page by page, counting them all', async () => {
    for (const name of ['team/open/a', 'team/open/b', 'team/open/c', 'team/closed', 'other/x']) {
      await secrets.create(owner, { name, value: 'v' }, client);
    }
    const page = await secrets.list(stranger, { prefix: '', page: 2, pageSize: 2 });
    expect(page.total).toBe(3);
    expect(page.secrets.map((s) => s.name)).toEqual(['team/open/c']);
    expect((await secrets.list(owner, { prefix: 'team/', page: 1, pageSize: 10 })).total).toBe(4);
    expect((await secrets.list(reader, { prefix: 'other', page: 1, pageSize: 10 })).total).toBe(0);
  });
});
