import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring } from '../../src/crypto/keyring.js';
import type { Backends } from '../../src/storage/open-storage.js';
import { asStored, testEvent } from '../helpers/audit-events.js';
import { BACKEND_NAMES, type Backend, makeBackend, openTwoNodes, type TwoNodes } from './backend-matrix.js';
import { failSqlEvents } from './event-faults.js';

const masterKey = randomBytes(32);

describe.each(BACKEND_NAMES)('%s keyring store (two nodes)', (name) => {
  let two: TwoNodes;
  const keyring = (i: 0 | 1) => createKeyring({ store: two.nodes[i].storage.keyring, masterKey });

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('creates one version 1 when nodes start on an empty keyring at once', async () => {
    const rings = Array.from({ length: 6 }, (_, i) => keyring((i % 2) as 0 | 1));
    const actives = await Promise.all(rings.map((ring) => ring.active()));
    expect(actives.map((a) => a.version)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(new Set(actives.map((a) => a.key.toString('hex'))).size).toBe(1);
    expect((await two.nodes[1].storage.keyring.list()).map((k) => k.version)).toEqual([1]);
  });

  it('stores a version once: of concurrent adds of one version exactly one wins', async () => {
    const adds = Array.from({ length: 10 }, (_, i) =>
      two.nodes[(i % 2) as 0 | 1].storage.keyring.add({
        version: 100,
        wrappedKey: randomBytes(60),
        createdAt: i,
      }),
    );
    expect((await Promise.all(adds)).filter(Boolean)).toHaveLength(1);
  });
});

describe.each(BACKEND_NAMES)('%s keyring rotation race (two nodes)', (name) => {
  let two: TwoNodes;
  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('gives 12 concurrent rotations on two nodes 12 distinct versions, readable from either node', async () => {
    const rings = [0, 1].map((i) =>
      createKeyring({ store: two.nodes[i as 0 | 1].storage.keyring, masterKey }),
    );
    const versions = await Promise.all(Array.from({ length: 12 }, (_, i) => rings[i % 2]?.rotate()));
    expect([...versions].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    const fresh = createKeyring({ store: two.nodes[0].storage.keyring, masterKey });
    expect((await fresh.active()).version).toBe(12);
    for (const version of versions) {
      const v = version ?? 0;
      expect((await rings[1]?.get(v))?.equals(await fresh.get(v))).toBe(true);
      expect((await rings[0]?.get(v))?.equals(await fresh.get(v))).toBe(true);
    }
  });
});

describe.each(BACKEND_NAMES)('%s keyring: a key and its events, together', (name) => {
  let backend: Backend;
  let opened: Backends;
  const keyring = () => opened.storage.keyring;
  const subject = (version: number) => ({ kind: 'key' as const, id: String(version) });
  const rotated = (version: number) =>
    testEvent('key.rotated', `rotated ${version}`, { subject: subject(version), data: { version } });
  const eventsOf = async (version: number) => opened.storage.events.listForSubject(subject(version), 10);

  beforeAll(async () => {
    backend = await makeBackend(name);
    opened = await backend.open();
  });
  afterAll(async () => {
    await opened?.close();
    backend?.cleanup();
  });

  it('stores a key with its events; a version already taken stores neither', async () => {
    const event = rotated(7);
    expect(await keyring().add({ version: 7, wrappedKey: randomBytes(60), createdAt: 1 }, [event])).toBe(
      true,
    );
    expect(await eventsOf(7)).toEqual([asStored(event)]);
    expect(await keyring().add({ version: 7, wrappedKey: randomBytes(60), createdAt: 2 }, [rotated(7)])).toBe(
      false,
    );
    expect(await eventsOf(7)).toEqual([asStored(event)]);
  });

  it('adds no key when its events cannot be stored', async () => {
    const undo = await failSqlEvents(backend);
    try {
      await expect(
        keyring().add({ version: 8, wrappedKey: randomBytes(60), createdAt: 3 }, [rotated(8)]),
      ).rejects.toThrow();
    } finally {
      await undo();
    }
    expect((await keyring().list()).map((k) => k.version)).not.toContain(8);
    expect(await eventsOf(8)).toEqual([]);
  });

  it('rotates with the event of the version it took, across a race for it', async () => {
    const ring = createKeyring({ store: keyring(), masterKey });
    const other = createKeyring({ store: keyring(), masterKey });
    const [a, b] = await Promise.all([ring.rotate((v) => [rotated(v)]), other.rotate((v) => [rotated(v)])]);
    expect(new Set([a, b]).size).toBe(2);
    for (const version of [a, b]) {
      expect((await eventsOf(version)).map((e) => e.data)).toEqual([{ version }]);
    }
  });
});
