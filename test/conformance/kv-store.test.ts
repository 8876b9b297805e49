import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretStore } from '../../src/storage/secret-store.js';
import { detailOf, testEvent } from '../helpers/audit-events.js';
import { type KvNode, kvNode, type TestClock } from '../helpers/kv-node.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';
import { admin, client, codeOf, newSecret, sealed, T0 } from './kv-records.js';

/**
 * KV version 2's store primitives on every backend, two nodes racing where the guarantee is about
 * concurrency: check-and-set and version delete/undelete/destroy; and the KV service on top of
 * both nodes, for check-and-set and patches end to end. Settings: kv-store-settings.test.ts.
 */
describe.each(BACKEND_NAMES)('%s KV store (two nodes)', (backend) => {
  let two: TwoNodes;
  const store = (i: number): SecretStore => (two.nodes[i % 2] as (typeof two.nodes)[0]).storage.secrets;
  const clock: TestClock = { now: T0 };
  const masterKey = randomBytes(32);
  let services: [KvNode, KvNode];

  /** A secret with versions 1..n, on node 0. */
  const withVersions = async (name: string, n: number) => {
    const made = newSecret(name);
    expect(await store(0).create(made.secret, made.first, T0)).toBe(true);
    for (let v = 2; v <= n; v += 1) await store(v).update(made.secret.id, { now: T0 + v, keep: 100 }, sealed);
    return made.secret.id;
  };
  const logged = async (detail: string) =>
    (await two.nodes[1].storage.events.list({}, 0, 1000)).events.filter((e) => detailOf(e) === detail);
  const changeEvents = (detail: string) => (changed: readonly number[]) => [
    testEvent('secret.versions_deleted', `${detail} ${changed.join(',')}`),
  ];

  beforeAll(async () => {
    two = await openTwoNodes(backend);
    services = [
      kvNode(two.nodes[0].storage, masterKey, clock),
      kvNode(two.nodes[1].storage, masterKey, clock),
    ];
  });
  afterAll(() => two?.close());

  it('lets exactly one of 20 concurrent updates with cas = N through, across both nodes', async () => {
    const id = await withVersions('cas/race', 3);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store(i).update(id, { now: T0 + 100, keep: 100, cas: 3 }, sealed)),
    );
    const won = results.filter((r) => r.status === 'written');
    expect(won).toHaveLength(1);
    expect(won[0]?.status === 'written' && won[0].secret.currentVersion).toBe(4);
    expect(results.filter((r) => r.status === 'cas_mismatch')).toHaveLength(19);
    for (const r of results) if (r.status === 'cas_mismatch') expect(r.currentVersion).toBe(4);
    expect((await store(1).versions(id)).map((v) => v.version)).toEqual([1, 2, 3, 4]);
    expect((await store(0).find(id, T0))?.currentVersion).toBe(4);
  });

  it('checks cas against a secret of settings only (version 0), and reports not_found for none', async () => {
    const empty = newSecret('cas/empty', false);
    expect(await store(0).create(empty.secret, undefined, T0)).toBe(true);
    expect(await store(1).read(empty.secret.id, undefined, T0)).toBeUndefined();
    expect((await store(1).update(empty.secret.id, { now: T0, keep: 10, cas: 1 }, sealed)).status).toBe(
      'cas_mismatch',
    );
    const first = await store(1).update(empty.secret.id, { now: T0, keep: 10, cas: 0 }, sealed);
    expect(first.status === 'written' && first.secret.currentVersion).toBe(1);
    expect(await store(0).update(randomUUID(), { now: T0, keep: 10, cas: 0 }, sealed)).toEqual({
      status: 'not_found',
    });
  });

  it('soft-deletes, undeletes and destroys listed versions once each, with events only for what changed', async () => {
    const id = await withVersions('versions/life', 4);
    expect(await store(0).deleteVersions(id, [1, 2, 9], T0 + 5, changeEvents('del a'))).toEqual([1, 2]);
    expect(await logged('del a 1,2')).toHaveLength(1);
    expect(await store(1).deleteVersions(id, [2], T0 + 6, changeEvents('del b'))).toEqual([]);
    expect(await logged('del b ')).toEqual([]);
    expect(await store(1).deleteVersions(id, 'latest', T0 + 7, changeEvents('del c'))).toEqual([4]);
    const states = await store(0).versions(id);
    expect(states.map((v) => [v.version, v.deletedAt ?? null, v.destroyedAt ?? null])).toEqual([
      [1, T0 + 5, null],
      [2, T0 + 5, null],
      [3, null, null],
      [4, T0 + 7, null],
    ]);
    expect(await store(0).undeleteVersions(id, [1, 3], T0 + 8, changeEvents('undel'))).toEqual([1]);

    expect(await store(1).destroyVersions(id, [2, 3], T0 + 9, changeEvents('destroy'))).toEqual([2, 3]);
    expect(await store(0).destroyVersions(id, [3], T0 + 9, changeEvents('destroy again'))).toEqual([]);
    for (const version of [2, 3]) {
      const gone = (await store(0).read(id, version, T0 + 9))?.version;
      expect(gone?.destroyedAt).toBe(T0 + 9);
      expect([gone?.ciphertext.length, gone?.wrappedKey.length]).toEqual([0, 0]);
    }
    // A destroyed version stays destroyed: neither undeleted nor deleted again.
    expect(await store(1).undeleteVersions(id, [2], T0 + 10, changeEvents('undel destroyed'))).toEqual([]);
    expect(await store(1).deleteVersions(id, [3], T0 + 10, changeEvents('del destroyed'))).toEqual([]);
    expect((await store(1).read(id, 1, T0 + 10))?.version.ciphertext.length).toBe(40);
    expect(await store(0).deleteVersions(randomUUID(), [1], T0, changeEvents('none'))).toBeUndefined();
  });

  it('lets one of concurrent deletes and destroys of one version report it, across both nodes', async () => {
    const id = await withVersions('versions/race', 2);
    const deletes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store(i).deleteVersions(id, [2], T0 + i, changeEvents(`race ${i}`)),
      ),
    );
    expect(deletes.filter((changed) => changed?.length === 1)).toHaveLength(1);
    const destroys = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store(i).destroyVersions(id, [1], T0 + i, changeEvents(`gone ${i}`)),
      ),
    );
    expect(destroys.filter((changed) => changed?.length === 1)).toHaveLength(1);
  });

  it('leaves destroyed versions out of key rotation', async () => {
    const id = await withVersions('versions/rewrap', 2);
    await store(0).destroyVersions(id, [1], T0, () => []);
    const stale = (await store(1).staleVersions(2, undefined, 10_000)).filter((v) => v.secretId === id);
    expect(stale.map((v) => v.version)).toEqual([2]);
    const move = { secretId: id, version: 1, fromKeyVersion: 1, wrappedKey: randomBytes(60), keyVersion: 2 };
    expect(await store(1).rewrap([move])).toBe(0);
  });

  describe('through the KV service on both nodes', () => {
    const kv = (i: number) => (services[i % 2] as KvNode).kv;

    it('lets exactly one of 20 concurrent writes with cas = N win, across both nodes', async () => {
      for (let v = 1; v <= 2; v += 1) await kv(v).write(admin, 'svc/cas', { data: { v: String(v) } }, client);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          codeOf(kv(i).write(admin, 'svc/cas', { data: { writer: String(i) }, cas: 2 }, client)),
        ),
      );
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === 'cas_mismatch')).toHaveLength(19);
      const meta = await kv(1).metadata(admin, { name: 'svc/cas' });
      expect([meta.currentVersion, meta.versions.length]).toEqual([3, 3]);
      const winner = results.indexOf('ok');
      expect((await kv(0).read(admin, { name: 'svc/cas' }, undefined, client)).data).toEqual({
        writer: String(winner),
      });
    });

    it('lets exactly one of 20 concurrent writes with cas = 0 create a new name, across both nodes', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          codeOf(kv(i).write(admin, 'svc/new', { data: { writer: String(i) }, cas: 0 }, client)),
        ),
      );
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === 'cas_mismatch')).toHaveLength(19);
      expect((await kv(1).metadata(admin, { name: 'svc/new' })).currentVersion).toBe(1);
    });

    it('gives 20 concurrent writes without cas 20 versions, keeping metadata from version to version', async () => {
      await kv(0).write(admin, 'svc/many', { data: { n: '0' }, metadata: { env: 'prod' } }, client);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          kv(i).write(admin, 'svc/many', { data: { n: String(i) } }, client),
        ),
      );
      const meta = await kv(0).metadata(admin, { name: 'svc/many' });
      expect(meta.currentVersion).toBe(21);
      expect(meta.versions.map((v) => v.version)).toEqual(Array.from({ length: 10 }, (_, i) => i + 12));
      expect((await kv(1).read(admin, { name: 'svc/many' }, undefined, client)).metadata).toEqual({
        env: 'prod',
      });
    });

    it('merges 20 concurrent patches across both nodes, each onto the version before it: none lost', async () => {
      await kv(0).write(admin, 'svc/patch', { data: { base: 'x', gone: 'y' } }, client);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          kv(i).patch(admin, 'svc/patch', { [`k${i}`]: String(i), gone: null }, undefined, client),
        ),
      );
      const read = await kv(1).read(admin, { name: 'svc/patch' }, undefined, client);
      expect(read.version.version).toBe(21);
      expect(read.data).toEqual({
        base: 'x',
        ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, String(i)])),
      });
    });
  });
});
