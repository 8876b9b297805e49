import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALL_GRANTS,
  codeOf,
  openSecretFixture,
  type SecretFixture,
  tablePolicies,
} from '../../test/helpers/secret-fixture.js';
import type { KvService } from './kv-types.js';
import type { SecretActor } from './secret-types.js';

const actor = (id: string): SecretActor => ({ kind: 'user', id, name: id, role: 'user' });
const owner = actor('owner');
const reader = actor('reader');
const writer = actor('writer');
const maker = actor('maker');
const stranger = actor('stranger');
const client = { ip: '127.0.0.1', userAgent: 'kv-test' };

describe('KV service', () => {
  let f: SecretFixture;
  let kv: KvService;
  const byName = (name: string) => ({ name });
  const read = (name: string, version?: number, who = owner) => kv.read(who, byName(name), version, client);

  beforeEach(async () => {
    f = await openSecretFixture(
      tablePolicies({
        owner: { '': ALL_GRANTS },
        reader: { 'app/': ['read', 'list'] },
        writer: { 'app/': ['update'] },
        maker: { 'app/': ['create'] },
        stranger: { 'app/open/': ['list'], 'app/hidden/': ['deny'] },
      }),
    );
    kv = f.kv;
  });
  afterEach(() => f.close());

  it('creates on the first write, adds versions after, and reads any kept one', async () => {
    const first = await kv.write(
      owner,
      'app/db',
      { data: { user: 'u', pw: 'one' }, metadata: { env: 'prod' } },
      client,
    );
    expect(first).toMatchObject({ name: 'app/db', created: true, customMetadata: {}, expiresAt: undefined });
    expect(first.version).toEqual({
      version: 1,
      createdAt: new Date(f.clock.now),
      deletedAt: undefined,
      destroyed: false,
    });
    f.clock.now += 1000;
    const second = await kv.write(
      owner,
      'app/db',
      { data: { user: 'u', pw: 'two' }, ttlSeconds: 60 },
      client,
    );
    expect(second).toMatchObject({ id: first.id, created: false, version: { version: 2 } });
    expect(second.expiresAt?.getTime()).toBe(f.clock.now + 60_000);
    // Without metadata a write keeps the current version's; given, it replaces it.
    expect(await read('app/db')).toMatchObject({ data: { user: 'u', pw: 'two' }, metadata: { env: 'prod' } });
    await kv.write(owner, 'app/db', { data: { pw: 'three' }, metadata: {} }, client);
    expect((await read('app/db')).metadata).toEqual({});
    expect((await kv.read(owner, { id: first.id }, 1, client)).data).toEqual({ user: 'u', pw: 'one' });
    expect(await codeOf(read('app/db', 9))).toBe('not_found');
    expect(await codeOf(read('app/none'))).toBe('not_found');
  });

  it('checks and sets: 0 only for a new name, N only onto version N, required when the secret says so', async () => {
    expect((await kv.write(owner, 'app/cas', { data: { a: '1' }, cas: 0 }, client)).version.version).toBe(1);
    expect(await codeOf(kv.write(owner, 'app/cas', { data: { a: '2' }, cas: 0 }, client))).toBe(
      'cas_mismatch',
    );
    expect(await codeOf(kv.write(owner, 'app/cas', { data: { a: '2' }, cas: 2 }, client))).toBe(
      'cas_mismatch',
    );
    expect(await codeOf(kv.write(owner, 'app/new', { data: { a: '2' }, cas: 1 }, client))).toBe(
      'cas_mismatch',
    );
    expect((await kv.write(owner, 'app/cas', { data: { a: '2' }, cas: 1 }, client)).version.version).toBe(2);
    await kv.setMetadata(owner, byName('app/cas'), { casRequired: true }, client);
    expect(await codeOf(kv.write(owner, 'app/cas', { data: { a: '3' } }, client))).toBe('cas_mismatch');
    expect(await codeOf(kv.patch(owner, 'app/cas', { a: '3' }, undefined, client))).toBe('cas_mismatch');
    expect((await kv.write(owner, 'app/cas', { data: { a: '3' }, cas: 2 }, client)).version.version).toBe(3);
    expect(await codeOf(kv.write(owner, 'app/cas', { data: {}, cas: -1 }, client))).toBe('invalid_secret');
  });

  it('patches the current version: null removes a key; a missing, deleted or destroyed one cannot be patched', async () => {
    await kv.write(owner, 'app/p', { data: { a: '1', b: '2' }, metadata: { m: 'x' } }, client);
    const patched = await kv.patch(owner, 'app/p', { b: null, c: '3' }, 1, client);
    expect(patched.version.version).toBe(2);
    expect(await read('app/p')).toMatchObject({ data: { a: '1', c: '3' }, metadata: { m: 'x' } });
    expect(await codeOf(kv.patch(owner, 'app/p', { a: '9' }, 1, client))).toBe('cas_mismatch');
    expect(await codeOf(kv.patch(owner, 'app/none', { a: '1' }, undefined, client))).toBe('not_found');
    expect(await codeOf(kv.patch(owner, 'app/p', { a: 7 as never }, undefined, client))).toBe(
      'invalid_secret',
    );
    await kv.deleteVersions(owner, byName('app/p'), 'latest', client);
    expect(await codeOf(kv.patch(owner, 'app/p', { a: '1' }, undefined, client))).toBe('version_deleted');
    await kv.destroyVersions(owner, byName('app/p'), [2], client);
    expect(await codeOf(kv.patch(owner, 'app/p', { a: '1' }, undefined, client))).toBe('version_destroyed');
    f.overrides['secrets.max_bytes'] = 20;
    await kv.write(owner, 'app/p', { data: { a: '1' } }, client);
    expect(await codeOf(kv.patch(owner, 'app/p', { b: 'x'.repeat(20) }, undefined, client))).toBe(
      'secret_too_large',
    );
  });

  it('soft-deletes, undeletes and destroys versions, and reports them so', async () => {
    for (let i = 1; i <= 4; i += 1) await kv.write(owner, 'app/v', { data: { i: String(i) } }, client);
    await kv.deleteVersions(owner, byName('app/v'), 'latest', client);
    await kv.deleteVersions(owner, byName('app/v'), [1, 2, 40], client);
    expect(await codeOf(read('app/v'))).toBe('version_deleted');
    expect(await codeOf(read('app/v', 1))).toBe('version_deleted');
    await kv.undeleteVersions(owner, byName('app/v'), [2, 4], client);
    expect((await read('app/v')).data).toEqual({ i: '4' });
    await kv.destroyVersions(owner, byName('app/v'), [1, 3], client);
    expect(await codeOf(read('app/v', 3))).toBe('version_destroyed');
    await kv.undeleteVersions(owner, byName('app/v'), [1], client);
    expect(await codeOf(read('app/v', 1))).toBe('version_destroyed');
    const meta = await kv.metadata(owner, byName('app/v'));
    expect(meta.versions.map((v) => [v.version, v.deletedAt !== undefined, v.destroyed])).toEqual([
      [1, true, true],
      [2, false, false],
      [3, false, true],
      [4, false, false],
    ]);
    expect(await codeOf(kv.deleteVersions(owner, byName('app/v'), [], client))).toBe('invalid_secret');
    expect(await codeOf(kv.destroyVersions(owner, byName('app/none'), [1], client))).toBe('not_found');

    const { events } = await f.audit.list({ type: 'secret.' }, 1, 100);
    const changes = events.filter((e) => e.type.startsWith('secret.versions_'));
    expect(changes.map((e) => [e.type, e.data.versions]).reverse()).toEqual([
      ['secret.versions_deleted', '4'],
      ['secret.versions_deleted', '1,2'],
      ['secret.versions_undeleted', '2,4'],
      ['secret.versions_destroyed', '1,3'],
    ]);
  });

  it('keeps settings: max_versions prunes at once and on every write; delete_version_after is a read-time rule', async () => {
    for (let i = 1; i <= 5; i += 1) await kv.write(owner, 'app/s', { data: { i: String(i) } }, client);
    const meta = await kv.setMetadata(
      owner,
      byName('app/s'),
      { maxVersions: 2, customMetadata: { team: 'ops' }, deleteVersionAfterSeconds: 60 },
      client,
    );
    expect(meta).toMatchObject({
      currentVersion: 5,
      oldestVersion: 4,
      maxVersions: 2,
      customMetadata: { team: 'ops' },
    });
    expect(meta.versions.map((v) => v.version)).toEqual([4, 5]);
    expect(meta.versions[0]?.deletedAt?.getTime()).toBe(f.clock.now + 60_000);
    await kv.write(owner, 'app/s', { data: { i: '6' } }, client);
    expect((await kv.metadata(owner, byName('app/s'))).versions.map((v) => v.version)).toEqual([5, 6]);
    expect((await read('app/s')).customMetadata).toEqual({ team: 'ops' });
    f.clock.now += 60_000;
    expect(await codeOf(read('app/s'))).toBe('version_deleted');
    const events = (await f.audit.list({ type: 'secret.metadata_updated' }, 1, 10)).events;
    expect(events.map((e) => e.data.fields)).toEqual([
      'max_versions,delete_version_after_seconds,custom_metadata',
    ]);
    expect(await codeOf(kv.setMetadata(owner, byName('app/s'), { maxVersions: 5000 }, client))).toBe(
      'invalid_secret',
    );
  });

  it('creates a secret of settings only from metadata, which a first write (cas 0) fills', async () => {
    const meta = await kv.setMetadata(owner, byName('app/later'), { casRequired: true }, client);
    expect(meta).toMatchObject({ currentVersion: 0, oldestVersion: 0, casRequired: true, versions: [] });
    expect(await codeOf(read('app/later'))).toBe('not_found');
    expect(await codeOf(kv.write(owner, 'app/later', { data: { a: '1' } }, client))).toBe('cas_mismatch');
    expect((await kv.write(owner, 'app/later', { data: { a: '1' }, cas: 0 }, client)).created).toBe(false);
    expect((await read('app/later')).data).toEqual({ a: '1' });
    expect(await codeOf(kv.setMetadata(maker, byName('app/later'), { maxVersions: 1 }, client))).toBe(
      'not_found',
    );
    expect(await codeOf(kv.setMetadata(reader, byName('app/more'), {}, client))).toBe('forbidden');
  });

  it('applies policies: what you may not read is not_found, a capability missing on what you may read forbidden', async () => {
    await kv.write(owner, 'app/x', { data: { a: '1' } }, client);
    await kv.write(owner, 'app/hidden/y', { data: { a: '1' } }, client);
    // Writes by name: create or update there, else forbidden (whether or not the name exists).
    for (const name of ['app/x', 'app/fresh']) {
      expect(await codeOf(kv.write(reader, name, { data: {} }, client)), name).toBe('forbidden');
    }
    expect((await kv.write(writer, 'app/x', { data: { a: '2' } }, client)).version.version).toBe(2);
    expect(await codeOf(kv.write(writer, 'app/fresh', { data: {} }, client))).toBe('forbidden');
    expect((await kv.write(maker, 'app/fresh', { data: {} }, client)).created).toBe(true);
    expect(await codeOf(kv.write(maker, 'app/x', { data: {} }, client))).toBe('forbidden');
    // Reads and changes of an existing secret.
    expect(await codeOf(read('app/x', undefined, writer))).toBe('not_found');
    expect(await codeOf(read('app/hidden/y', undefined, stranger))).toBe('not_found');
    expect(await codeOf(kv.metadata(stranger, byName('app/x')))).toBe('not_found');
    expect(await codeOf(kv.deleteVersions(reader, byName('app/x'), [1], client))).toBe('forbidden');
    expect(await codeOf(kv.destroyVersions(stranger, byName('app/x'), [1], client))).toBe('not_found');
    expect(await codeOf(kv.undeleteVersions(reader, byName('app/x'), [1], client))).toBe('forbidden');
    expect(await codeOf(kv.undeleteVersions(writer, byName('app/x'), [1], client))).toBe('ok');
    expect(await codeOf(kv.setMetadata(reader, byName('app/x'), {}, client))).toBe('forbidden');
    expect(await codeOf(kv.deleteAll(reader, byName('app/x'), client))).toBe('forbidden');
    expect(await codeOf(read('../x'))).toBe('invalid_secret');
  });

  it('erases a secret with every version, audited, and its name is free again', async () => {
    const { id } = await kv.write(owner, 'app/gone', { data: { a: '1' } }, client);
    await kv.deleteAll(owner, byName('app/gone'), client);
    expect(await codeOf(kv.metadata(owner, { id }))).toBe('not_found');
    expect(await f.storage.secrets.versions(id)).toEqual([]);
    expect(await codeOf(kv.deleteAll(owner, byName('app/gone'), client))).toBe('not_found');
    expect((await kv.write(owner, 'app/gone', { data: {} }, client)).created).toBe(true);
    const types = (await f.audit.list({ type: 'secret.' }, 1, 10)).events.map((e) => e.type).reverse();
    expect(types).toEqual(['secret.created', 'secret.deleted', 'secret.created']);
  });

  it('lists one folder level: names and sub-folders the actor may list, in name order', async () => {
    const names = [
      'app/a',
      'app/a-b',
      'app/a/x',
      'app/a/y',
      'app/b/c/d',
      'app/open/1',
      'app/open/2',
      'app/z',
    ];
    for (const name of [...names, 'app/hidden/h', 'other/o', 'apple'])
      await kv.write(owner, name, { data: {} }, client);
    expect(await kv.list(owner, 'app/')).toEqual(['a', 'a-b', 'a/', 'b/', 'hidden/', 'open/', 'z']);
    expect(await kv.list(owner, '')).toEqual(['app/', 'apple', 'other/']);
    expect(await kv.list(owner, 'app/b/')).toEqual(['c/']);
    expect(await kv.list(owner, 'app/nothing/')).toEqual([]);
    // The stranger may list only app/open/*: it sees that folder and nothing else.
    expect(await kv.list(stranger, 'app/')).toEqual(['open/']);
    expect(await kv.list(stranger, 'app/open/')).toEqual(['1', '2']);
    expect(await kv.list(reader, 'app/')).toEqual(['a', 'a-b', 'a/', 'b/', 'hidden/', 'open/', 'z']);
    expect(await codeOf(kv.list(owner, 'app'))).toBe('invalid_secret');
  });

  it('audits writes and reads with versions and actors, never a value', async () => {
    await kv.write(owner, 'app/audit', { data: { secret: 'pa55-canary' } }, client);
    await kv.patch(writer, 'app/audit', { more: 'canary-2' }, undefined, client);
    await read('app/audit', undefined, reader);
    const { events } = await f.audit.list({ type: 'secret.' }, 1, 10);
    expect(events.map((e) => [e.type, e.actor.name, e.data.version]).reverse()).toEqual([
      ['secret.created', 'owner', 1],
      ['secret.updated', 'writer', 2],
      ['secret.read', 'reader', 2],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/canary/);
  });
});
