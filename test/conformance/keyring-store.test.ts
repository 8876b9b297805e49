import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring } from '../../src/crypto/keyring.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

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
