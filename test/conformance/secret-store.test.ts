import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import {
  DEFAULT_SECRET_SETTINGS,
  type SealedVersion,
  type SecretRecord,
  type SecretStore,
  type SecretVersionRecord,
  type UpdateOptions,
} from '../../src/storage/secret-store.js';
import { asStored, detailOf, testEvent } from '../helpers/audit-events.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2030, 0, 1);

const sealed = (keyVersion = 1): SealedVersion => ({
  ciphertext: randomBytes(40),
  wrappedKey: randomBytes(60),
  keyVersion,
});

function newSecret(name: string, at = T0, expiresAt?: number) {
  const id = randomUUID();
  const secret: SecretRecord = {
    ...DEFAULT_SECRET_SETTINGS,
    id,
    name,
    currentVersion: 1,
    createdAt: at,
    updatedAt: at,
    expiresAt,
  };
  const first: SecretVersionRecord = { ...sealed(), secretId: id, version: 1, createdAt: at };
  return { secret, first };
}

/** The record an update wrote, or undefined when it wrote none. */
async function written(
  store: SecretStore,
  id: string,
  options: UpdateOptions,
  seal: (version: number) => SealedVersion,
  events?: (version: number) => readonly AuditEvent[],
) {
  const result = await store.update(id, options, seal, events);
  return result.status === 'written' ? result.secret : undefined;
}

describe.each(BACKEND_NAMES)('%s secret store (two nodes)', (name) => {
  let two: TwoNodes;
  const store = (i: 0 | 1) => two.nodes[i].storage.secrets;
  const create = async (node: 0 | 1, secretName: string, expiresAt?: number) => {
    const made = newSecret(secretName, T0, expiresAt);
    expect(await store(node).create(made.secret, made.first, T0)).toBe(true);
    return made;
  };

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  const event = (type: AuditEvent['type'], detail: string) =>
    testEvent(type, detail, { createdAt: new Date(T0) });
  const logged = async (detail: string) =>
    (await two.nodes[1].storage.events.list({}, 0, 1000)).events.filter((e) => detailOf(e) === detail);

  it('stores the audit events of a create, an update and a delete with them, and none when nothing changed', async () => {
    const made = newSecret('audited/one');
    const created = event('secret.created', `created ${made.secret.id}`);
    expect(await store(0).create(made.secret, made.first, T0, [created])).toBe(true);
    expect(await logged(String(detailOf(created)))).toEqual([asStored(created)]);

    const taken = newSecret('audited/one');
    const refused = event('secret.created', `created ${taken.secret.id}`);
    expect(await store(1).create(taken.secret, taken.first, T0, [refused])).toBe(false);
    expect(await logged(String(detailOf(refused)))).toEqual([]);

    const updated = (version: number) => [event('secret.updated', `${made.secret.id} v${version}`)];
    const options = { now: T0, keep: 10 };
    expect((await written(store(1), made.secret.id, options, () => sealed(), updated))?.currentVersion).toBe(
      2,
    );
    expect(await logged(`${made.secret.id} v2`)).toHaveLength(1);
    expect(await written(store(1), randomUUID(), options, () => sealed(), updated)).toBeUndefined();

    const deleted = event('secret.deleted', `deleted ${made.secret.id}`);
    expect(await store(1).delete(made.secret.id, T0, [deleted])).toBe(true);
    const again = event('secret.deleted', `deleted again ${made.secret.id}`);
    expect(await store(0).delete(made.secret.id, T0, [again])).toBe(false);
    expect(await logged(String(detailOf(deleted)))).toEqual([asStored(deleted)]);
    expect(await logged(String(detailOf(again)))).toEqual([]);
  });

  it('keeps each create’s events with its own secret when creates share a batch', async () => {
    const made = Array.from({ length: 6 }, (_, i) => newSecret(`audited/batch/${i % 3}`));
    const events = made.map((m) => event('secret.created', `batch ${m.secret.id}`));
    const results = await Promise.all(
      made.map((m, i) => store(0).create(m.secret, m.first, T0, [events[i] as AuditEvent])),
    );
    expect(results.filter(Boolean)).toHaveLength(3);
    for (const [i, stored] of results.entries()) {
      expect(await logged(String(events[i] && detailOf(events[i])))).toHaveLength(stored ? 1 : 0);
    }
  });

  it('creates, finds by id and name, reads versions, updates and deletes', async () => {
    const { secret, first } = await create(0, 'apps/billing/db');
    expect(await store(1).find(secret.id, T0)).toEqual(secret);
    expect(await store(1).findByName('apps/billing/db', T0)).toEqual(secret);
    expect(await store(1).read(secret.id, undefined, T0)).toEqual({ secret, version: first });

    const second = sealed(2);
    const updated = await written(store(1), secret.id, { now: T0 + 1000, keep: 10 }, (v) => {
      expect(v).toBe(2);
      return second;
    });
    expect(updated).toEqual({ ...secret, currentVersion: 2, updatedAt: T0 + 1000 });
    const current = await store(0).read(secret.id, undefined, T0 + 1000);
    expect(current?.version).toEqual({ ...second, secretId: secret.id, version: 2, createdAt: T0 + 1000 });
    expect((await store(0).read(secret.id, 1, T0))?.version).toEqual(first);
    expect(await store(0).read(secret.id, 3, T0)).toBeUndefined();
    expect(await store(0).versions(secret.id)).toEqual([
      { version: 1, keyVersion: 1, createdAt: T0 },
      { version: 2, keyVersion: 2, createdAt: T0 + 1000 },
    ]);

    expect(await store(1).delete(secret.id, T0)).toBe(true);
    expect(await store(0).delete(secret.id, T0)).toBe(false);
    expect(await store(0).find(secret.id, T0)).toBeUndefined();
    expect(await store(0).read(secret.id, 1, T0)).toBeUndefined();
    expect(await store(0).versions(secret.id)).toEqual([]);
    expect(await written(store(0), secret.id, { now: T0, keep: 10 }, () => sealed())).toBeUndefined();
  });

  it('lists live names by prefix in byte order, page by page after a name', async () => {
    const names = ['list/b', 'list/a/x', 'list/a', 'list/A', 'list/a-b', 'lister', 'other/list'];
    for (const [i, n] of names.entries()) await create((i % 2) as 0 | 1, n);
    await create(0, 'list/gone', T0 + 1);
    const all = await store(1).listByPrefix('list/', T0 + 1, undefined, 100);
    expect(all.map((s) => s.name)).toEqual(['list/A', 'list/a', 'list/a-b', 'list/a/x', 'list/b']);
    const page1 = await store(0).listByPrefix('list', T0 + 1, undefined, 3);
    const page2 = await store(0).listByPrefix('list', T0 + 1, page1.at(-1)?.name, 3);
    expect([...page1, ...page2].map((s) => s.name)).toEqual([
      'list/A',
      'list/a',
      'list/a-b',
      'list/a/x',
      'list/b',
      'lister',
    ]);
    expect((await store(0).listByPrefix('', T0 + 1, undefined, 1000)).length).toBeGreaterThanOrEqual(7);
    expect(await store(0).listByPrefix('%', T0, undefined, 10)).toEqual([]);
  });

  it('hides an expired secret from every call, lets its name be taken again, and purges it', async () => {
    const { secret } = await create(0, 'ttl/one', T0 + HOUR);
    const after = T0 + HOUR;
    expect(await store(1).find(secret.id, after - 1)).toEqual(secret);
    expect(await store(1).find(secret.id, after)).toBeUndefined();
    expect(await store(1).findByName('ttl/one', after)).toBeUndefined();
    expect(await store(1).read(secret.id, 1, after)).toBeUndefined();
    expect(await store(1).listByPrefix('ttl/', after, undefined, 10)).toEqual([]);
    expect(await written(store(1), secret.id, { now: after, keep: 10 }, () => sealed())).toBeUndefined();
    expect(await store(1).delete(secret.id, after)).toBe(false);

    // A live name holds; an expired one does not.
    const taken = newSecret('ttl/one');
    expect(await store(1).create(taken.secret, taken.first, after - 1)).toBe(false);
    expect(await store(1).create(taken.secret, taken.first, after)).toBe(true);
    expect(await store(0).findByName('ttl/one', after)).toEqual(taken.secret);
    expect(await store(0).versions(secret.id)).toEqual([]);

    // Purge erases expired secrets only, in batches (the 5 here and 'list/gone' of the last case).
    for (let i = 0; i < 5; i += 1) await create(i % 2 ? 1 : 0, `ttl/batch-${i}`, T0 + 10);
    await create(0, 'ttl/live', T0 + 10 * HOUR);
    expect(await store(0).purgeExpired(T0 + 10, 3)).toBe(3);
    expect(await store(1).purgeExpired(T0 + 10, 3)).toBe(3);
    expect(await store(1).purgeExpired(T0 + 10, 3)).toBe(0);
    expect(await store(0).findByName('ttl/live', T0)).toBeDefined();
    expect(await store(0).findByName('ttl/one', T0)).toEqual(taken.secret);
  });

  it('sets a new expiry on update when given, keeps it otherwise, and erases versions beyond keep', async () => {
    const { secret } = await create(1, 'keep/me', T0 + HOUR);
    for (let i = 0; i < 4; i += 1) {
      await written(store(i % 2 ? 1 : 0), secret.id, { now: T0 + i, keep: 3 }, () => sealed());
    }
    expect((await store(0).versions(secret.id)).map((v) => v.version)).toEqual([3, 4, 5]);
    expect((await store(0).find(secret.id, T0))?.expiresAt).toBe(T0 + HOUR);
    const renewed = await written(store(1), secret.id, { now: T0, expiresAt: T0 + 5 * HOUR, keep: 3 }, () =>
      sealed(),
    );
    expect(renewed?.expiresAt).toBe(T0 + 5 * HOUR);
    expect(await store(0).find(secret.id, T0 + 2 * HOUR)).toBeDefined();
  });

  it('gives 20 concurrent updates across both nodes 20 distinct versions, each stored', async () => {
    const { secret } = await create(0, 'race/update');
    const seen: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        written(store((i % 2) as 0 | 1), secret.id, { now: T0 + i, keep: 100 }, (version) => {
          seen.push(version);
          return sealed();
        }),
      ),
    );
    const versions = results.map((r) => r?.currentVersion);
    expect(new Set(versions).size).toBe(20);
    expect([...versions].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    );
    expect(seen.sort((a, b) => a - b)).toEqual(versions.sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect((await store(1).versions(secret.id)).map((v) => v.version)).toEqual(
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
    expect((await store(1).find(secret.id, T0))?.currentVersion).toBe(21);
  });

  it('lets exactly one of 20 concurrent creates of one name through, across both nodes', async () => {
    const attempts = Array.from({ length: 20 }, () => newSecret('race/create'));
    const results = await Promise.all(
      attempts.map((a, i) => store((i % 2) as 0 | 1).create(a.secret, a.first, T0)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = attempts[results.indexOf(true)];
    expect(await store(0).findByName('race/create', T0)).toEqual(winner?.secret);
    for (const [i, a] of attempts.entries()) {
      if (!results[i]) expect(await store(1).versions(a.secret.id)).toEqual([]);
    }
  });

  it('lets exactly one of concurrent creates replace an expired secret of that name', async () => {
    await create(0, 'race/expired', T0 + 1);
    const attempts = Array.from({ length: 10 }, () => newSecret('race/expired'));
    const results = await Promise.all(
      attempts.map((a, i) => store((i % 2) as 0 | 1).create(a.secret, a.first, T0 + 1)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('finds stale versions after a cursor and rewraps each once, compare-and-set', async () => {
    const made = [await create(0, 'wrap/a'), await create(1, 'wrap/b')];
    const [a] = made;
    if (!a) throw new Error('unreachable');
    await written(store(0), a.secret.id, { now: T0, keep: 10 }, () => sealed(3));
    const stale = await store(1).staleVersions(3, undefined, 1000);
    const byIdThenVersion = [...stale].sort((x, y) =>
      x.secretId === y.secretId ? x.version - y.version : x.secretId < y.secretId ? -1 : 1,
    );
    expect(stale).toEqual(byIdThenVersion);
    const ours = stale.filter((v) => made.some((m) => m.secret.id === v.secretId));
    expect(ours.map((v) => v.keyVersion)).toEqual([1, 1]);
    // Paging by cursor visits every stale version once, in (secret id, version) order.
    const paged: string[] = [];
    let after: { secretId: string; version: number } | undefined;
    for (;;) {
      const page = await store(0).staleVersions(3, after, 2);
      paged.push(...page.map((v) => `${v.secretId}/${v.version}`));
      const last = page.at(-1);
      if (page.length < 2 || !last) break;
      after = last;
    }
    expect(paged).toEqual(stale.map((v) => `${v.secretId}/${v.version}`));

    const moves = ours.map((v) => ({
      secretId: v.secretId,
      version: v.version,
      fromKeyVersion: 1,
      wrappedKey: randomBytes(60),
      keyVersion: 3,
    }));
    expect(await store(0).rewrap(moves.map((m) => ({ ...m, fromKeyVersion: 2 })))).toBe(0);
    const raced = await Promise.all([store(0).rewrap(moves), store(1).rewrap(moves)]);
    expect(raced[0] + raced[1]).toBe(2);
    expect(await store(0).rewrap([])).toBe(0);
    const read = await store(1).read(a.secret.id, 1, T0);
    expect(read?.version.keyVersion).toBe(3);
    expect(read?.version.wrappedKey).toEqual(moves.find((m) => m.secretId === a.secret.id)?.wrappedKey);
    expect(read?.version.ciphertext).toEqual(a.first.ciphertext);
    const left = await store(1).staleVersions(3, undefined, 1000);
    expect(left.filter((v) => made.some((m) => m.secret.id === v.secretId))).toEqual([]);
  });
});
