import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALL_GRANTS as ALL,
  codeOf,
  openSecretFixture,
  type SecretFixture,
  tablePolicies,
} from '../../test/helpers/secret-fixture.js';
import type { AuditService } from '../audit/audit-service.js';
import type { SettingKey } from '../settings/setting-definitions.js';
import type { SecretService } from './secret-service.js';
import type { SecretActor } from './secret-types.js';

const owner: SecretActor = { kind: 'user', id: 'u-owner', name: 'owner', role: 'user' };
const reader: SecretActor = { kind: 'user', id: 'u-reader', name: 'reader', role: 'user' };
const stranger: SecretActor = { kind: 'user', id: 'u-stranger', name: 'stranger', role: 'user' };
const client = { ip: '127.0.0.1', userAgent: 'test' };

describe('secret service', () => {
  let f: SecretFixture;
  let audit: AuditService;
  let secrets: SecretService;
  let overrides: Partial<Record<SettingKey, unknown>>;
  beforeEach(async () => {
    f = await openSecretFixture(
      tablePolicies({
        'u-owner': { '': ALL },
        'u-reader': { 'team/': ['read', 'list'], 'team/hidden/': ['deny'] },
        'u-stranger': { 'team/open/': ['list'] },
      }),
    );
    ({ audit, secrets, overrides } = f);
  });
  afterEach(() => f.close());

  it('stores value and metadata encrypted, reads every kept version back, audits without values', async () => {
    const created = await secrets.create(
      owner,
      { name: 'team/db', value: 'pa55-Ünïcode', metadata: { env: 'prod' } },
      client,
    );
    expect(created).toMatchObject({ name: 'team/db', version: 1, expiresAt: undefined });
    f.clock.now += 1000;
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
    expect(expiresAt?.getTime()).toBe(f.clock.now + 60_000);
    f.clock.now += 60_000;
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

describe('secret service on KV data', () => {
  let f: SecretFixture;
  const writer: SecretActor = { kind: 'machine', id: 'm-ci', name: 'ci', role: 'user' };

  beforeEach(async () => {
    f = await openSecretFixture(tablePolicies({ 'u-owner': { '': ALL }, 'm-ci': { 'ci/': ['update'] } }));
  });
  afterEach(() => f.close());

  it('takes data instead of value, answers value as data.value (undefined without one), and cas', async () => {
    const made = await f.secrets.create(owner, { name: 'ci/db', data: { user: 'u', value: 'pw' } }, client);
    expect(await f.secrets.get(owner, made.id, undefined, client)).toMatchObject({
      value: 'pw',
      data: { user: 'u', value: 'pw' },
    });
    await f.secrets.update(owner, made.id, { data: { user: 'u2' }, cas: 1 }, client);
    expect((await f.secrets.get(owner, made.id, undefined, client)).value).toBeUndefined();
    expect(await codeOf(f.secrets.update(owner, made.id, { value: 'x', cas: 1 }, client))).toBe(
      'cas_mismatch',
    );
    for (const input of [{}, { value: 'x', data: { value: 'x' } }]) {
      expect(await codeOf(f.secrets.update(owner, made.id, input, client))).toBe('invalid_secret');
    }
    // create with cas is a KV write: 0 only for a new name.
    expect(await codeOf(f.secrets.create(owner, { name: 'ci/db', value: 'v', cas: 0 }, client))).toBe(
      'cas_mismatch',
    );
    expect((await f.secrets.create(owner, { name: 'ci/db', value: 'v', cas: 2 }, client)).version).toBe(3);
  });

  it('lets a caller holding only `update` write a new version, without reading any', async () => {
    const { id } = await f.secrets.create(owner, { name: 'ci/token', value: 'one' }, client);
    expect((await f.secrets.update(writer, id, { value: 'two' }, client)).version).toBe(2);
    expect(await codeOf(f.secrets.get(writer, id, undefined, client))).toBe('not_found');
    expect(await codeOf(f.secrets.delete(writer, id, client))).toBe('not_found');
    expect((await f.secrets.get(owner, id, undefined, client)).value).toBe('two');
  });
});
