import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import type { SecretStore } from '../../src/storage/secret-store.js';
import { detailOf, testEvent } from '../helpers/audit-events.js';
import { type KvNode, kvNode, type TestClock } from '../helpers/kv-node.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';
import { admin, client, codeOf, newSecret, SECOND, sealed, T0 } from './kv-records.js';

/**
 * KV version 2's per-secret settings on every backend, two nodes racing where the guarantee is
 * about concurrency: settings and pruning, cas_required held by the version bump, custom-metadata
 * merges under the write's lock; and through the KV service on both nodes, those races end to end
 * and delete_version_after.
 */
describe.each(BACKEND_NAMES)('%s KV store settings (two nodes)', (backend) => {
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

  beforeAll(async () => {
    two = await openTwoNodes(backend);
    services = [
      kvNode(two.nodes[0].storage, masterKey, clock),
      kvNode(two.nodes[1].storage, masterKey, clock),
    ];
  });
  afterAll(() => two?.close());

  it('holds cas_required in the version bump: an update without cas after it is a cas_mismatch', async () => {
    const id = await withVersions('cas/required', 1);
    await store(0).setSettings(id, { casRequired: true }, { now: T0, keep: 10 });
    // The caller (a node that read the secret before the change) gives no cas: the bump refuses.
    const events = () => [testEvent('secret.updated', `no cas ${id}`)];
    expect(await store(1).update(id, { now: T0, keep: 10 }, sealed, events)).toEqual({
      status: 'cas_mismatch',
      currentVersion: 1,
    });
    expect(await logged(`no cas ${id}`)).toEqual([]);
    const withCas = await store(1).update(id, { now: T0, keep: 10, cas: 1 }, sealed);
    expect(withCas.status === 'written' && withCas.secret.currentVersion).toBe(2);
    await store(0).setSettings(id, { casRequired: false }, { now: T0, keep: 10 });
    expect((await store(1).update(id, { now: T0, keep: 10 }, sealed)).status).toBe('written');
  });

  it('changes settings, prunes beyond a lowered max_versions in the same step, and then on every write', async () => {
    const id = await withVersions('settings/prune', 5);
    const event = testEvent('secret.metadata_updated', `settings ${id}`);
    const settings = {
      maxVersions: 2,
      casRequired: true,
      deleteVersionAfterSeconds: 60,
      customMetadata: { team: 'a' },
    };
    const changed = await store(1).setSettings(id, settings, { now: T0, keep: 10 }, [event]);
    expect(changed).toMatchObject({ ...settings, currentVersion: 5 });
    expect(await logged(`settings ${id}`)).toHaveLength(1);
    expect((await store(0).versions(id)).map((v) => v.version)).toEqual([4, 5]);
    expect(await store(0).findByName('settings/prune', T0)).toEqual(changed);
    // A setting not given is kept; the secret's own limit wins over the caller's default.
    expect(await store(0).setSettings(id, { customMetadata: {} }, { now: T0, keep: 1 })).toMatchObject({
      maxVersions: 2,
      casRequired: true,
      customMetadata: {},
    });
    // (cas_required is set: each write gives cas.)
    await store(1).update(id, { now: T0, keep: 10, cas: 5 }, sealed);
    expect((await store(0).versions(id)).map((v) => v.version)).toEqual([5, 6]);
    await store(0).setSettings(id, { maxVersions: 0 }, { now: T0, keep: 10 });
    await store(1).update(id, { now: T0, keep: 10, cas: 6 }, sealed);
    expect((await store(0).versions(id)).map((v) => v.version)).toEqual([5, 6, 7]);
    expect(
      await store(0).setSettings(randomUUID(), { maxVersions: 1 }, { now: T0, keep: 1 }),
    ).toBeUndefined();
  });

  it('merges 20 concurrent custom-metadata merges across both nodes, each onto the one before it', async () => {
    const id = await withVersions('settings/merge', 1);
    await store(0).setSettings(id, { customMetadata: { base: 'b', gone: 'g' } }, { now: T0, keep: 10 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store(i).setSettings(
          id,
          { mergeCustomMetadata: ({ gone: _gone, ...stored }) => ({ ...stored, [`k${i}`]: String(i) }) },
          { now: T0, keep: 10 },
          [testEvent('secret.metadata_updated', `merge ${id}`)],
        ),
      ),
    );
    expect(results.every((r) => r !== undefined)).toBe(true);
    expect((await store(1).find(id, T0))?.customMetadata).toEqual({
      base: 'b',
      ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, String(i)])),
    });
    expect(await logged(`merge ${id}`)).toHaveLength(20);
    // A merge that throws stores nothing, its events neither; none for a secret that is not there.
    const refuse = () => {
      throw new Error('refused');
    };
    const refused = store(0).setSettings(
      id,
      { maxVersions: 1, mergeCustomMetadata: refuse },
      { now: T0, keep: 10 },
      [testEvent('secret.metadata_updated', `refused ${id}`)],
    );
    await expect(refused).rejects.toThrow('refused');
    expect((await store(1).find(id, T0))?.maxVersions).toBe(0);
    expect(await logged(`refused ${id}`)).toEqual([]);
    const none = { mergeCustomMetadata: (stored: Record<string, string>) => stored };
    expect(await store(1).setSettings(randomUUID(), none, { now: T0, keep: 1 })).toBeUndefined();
  });

  it('stores a created secret’s settings and events; a secret of settings only has no version', async () => {
    const made = newSecret('settings/new', false);
    const secret = { ...made.secret, maxVersions: 3, customMetadata: { owner: 'ops' } };
    const created = testEvent('secret.created', `created ${secret.id}`);
    expect(await store(0).create(secret, undefined, T0, [created as AuditEvent])).toBe(true);
    expect(await store(1).find(secret.id, T0)).toEqual(secret);
    expect(await store(1).versions(secret.id)).toEqual([]);
    expect(await logged(`created ${secret.id}`)).toHaveLength(1);
  });

  describe('through the KV service on both nodes', () => {
    const kv = (i: number) => (services[i % 2] as KvNode).kv;

    it('lands no write without cas after a racing change to cas_required, across both nodes', async () => {
      await kv(0).write(admin, 'svc/required', { data: { n: 'first' } }, client);
      const writes = Array.from({ length: 20 }, (_, i) =>
        codeOf(kv(i).write(admin, 'svc/required', { data: { n: String(i) } }, client)),
      );
      const required = kv(1).setMetadata(admin, { name: 'svc/required' }, { casRequired: true }, client);
      const results = await Promise.all([...writes, codeOf(required)]);
      expect(results.every((r) => r === 'ok' || r === 'cas_mismatch')).toBe(true);
      expect(results.at(-1)).toBe('ok');
      // Each change is stored with its event in one step: every write that landed comes before it.
      const meta = await kv(0).metadata(admin, { name: 'svc/required' });
      const events = (await two.nodes[0].storage.events.list({}, 0, 10_000)).events.filter(
        (e) => e.subject?.id === meta.id,
      );
      const changed = events.find((e) => e.type === 'secret.metadata_updated')?.seq ?? 0;
      const landed = events.filter((e) => e.type === 'secret.updated');
      expect(landed).toHaveLength(results.filter((r) => r === 'ok').length - 1);
      for (const event of landed) expect(event.seq ?? 0).toBeLessThan(changed);
      expect(await codeOf(kv(0).write(admin, 'svc/required', { data: { n: 'late' } }, client))).toBe(
        'cas_mismatch',
      );
    });

    it('merges 20 concurrent custom_metadata patches across both nodes: all 20 keys are kept', async () => {
      await kv(0).write(admin, 'svc/labels', { data: { a: '1' } }, client);
      await kv(0).setMetadata(admin, { name: 'svc/labels' }, { customMetadata: { gone: 'g' } }, client);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          kv(i).setMetadata(
            admin,
            { name: 'svc/labels' },
            { customMetadataPatch: { [`k${i}`]: String(i), gone: null } },
            client,
          ),
        ),
      );
      const meta = await kv(1).metadata(admin, { name: 'svc/labels' });
      expect(meta.customMetadata).toEqual(
        Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, String(i)])),
      );
      // A patch that would make too many labels is refused whole; a missing secret has none to patch.
      const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`m${i}`, 'x']));
      const patch = (name: string, customMetadataPatch: Record<string, string | null>) =>
        codeOf(kv(0).setMetadata(admin, { name }, { customMetadataPatch }, client));
      expect(await patch('svc/labels', many)).toBe('invalid_secret');
      expect((await kv(1).metadata(admin, { name: 'svc/labels' })).customMetadata).toEqual(
        meta.customMetadata,
      );
      expect(await patch('svc/labels-none', { a: 'b' })).toBe('not_found');
    });

    it('counts a version as deleted once delete_version_after has passed, read-time, on every node', async () => {
      await kv(0).write(admin, 'svc/dva', { data: { a: '1' } }, client);
      await kv(1).setMetadata(admin, { name: 'svc/dva' }, { deleteVersionAfterSeconds: 60 }, client);
      const written = await kv(1).write(admin, 'svc/dva', { data: { a: '2' } }, client);
      expect(written.version.deletedAt?.getTime()).toBe(clock.now + 60 * SECOND);
      expect((await kv(0).read(admin, { name: 'svc/dva' }, undefined, client)).data).toEqual({ a: '2' });
      clock.now += 60 * SECOND;
      try {
        expect(await codeOf(kv(0).read(admin, { name: 'svc/dva' }, undefined, client))).toBe(
          'version_deleted',
        );
        expect(await codeOf(kv(1).read(admin, { name: 'svc/dva' }, 1, client))).toBe('version_deleted');
        // Undelete does not lift the rule: it refuses such a version (400) and changes nothing.
        await kv(1).deleteVersions(admin, { name: 'svc/dva' }, [1], client);
        expect(await codeOf(kv(0).undeleteVersions(admin, { name: 'svc/dva' }, [2, 1], client))).toBe(
          'bad_request',
        );
        // Version 1 keeps its mark of a delete by hand (the store's own record, not the rule's).
        const stored = await store(0).versions(written.id);
        expect(stored.map((v) => v.deletedAt)).toEqual([clock.now, undefined]);
        // The rule is the secret's setting now: lifting it brings every version back.
        await kv(0).setMetadata(admin, { name: 'svc/dva' }, { deleteVersionAfterSeconds: 0 }, client);
        expect((await kv(1).read(admin, { name: 'svc/dva' }, 2, client)).data).toEqual({ a: '2' });
        // Version 1, deleted by hand, undeletes now that no rule deletes it.
        await kv(0).undeleteVersions(admin, { name: 'svc/dva' }, [1], client);
        expect((await kv(1).read(admin, { name: 'svc/dva' }, 1, client)).data).toEqual({ a: '1' });
      } finally {
        clock.now = T0;
      }
    });
  });
});
