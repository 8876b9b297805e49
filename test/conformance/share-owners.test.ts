import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShareOwner } from '../../src/shares/share-types.js';
import type { ShareStore } from '../../src/storage/share-store.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';
import { MINUTE, newShare } from './share-records.js';

const ownerNamed = (kind: ShareOwner['kind'] = 'user'): ShareOwner => ({ kind, id: randomUUID() });

describe.each(BACKEND_NAMES)('%s share store: owners on two nodes', (name) => {
  let two: TwoNodes;
  let a: ShareStore;
  let b: ShareStore;
  beforeAll(async () => {
    two = await openTwoNodes(name);
    a = two.nodes[0].storage.shares;
    b = two.nodes[1].storage.shares;
  });
  afterAll(() => two?.close());

  it("lists an owner's shares newest first with their states, on either node, and no one else's", async () => {
    const owner = ownerNamed();
    const start = Date.now() - 10 * MINUTE;
    const mine = Array.from({ length: 5 }, (_, i) => newShare({ owner, createdAt: start + i * 1000 }));
    for (const [i, share] of mine.entries()) await (i % 2 ? a : b).create(share, []);
    await a.create(newShare({ owner: ownerNamed() }), []);
    await a.create(newShare(), []);
    // Same id, other kind: a machine is not the user whose id it shares.
    await b.create(newShare({ owner: { kind: 'machine', id: owner.id } }), []);

    expect(await b.claimView((mine[1] ?? mine[0])?.id ?? '', Date.now(), [])).toBeDefined();
    expect(await a.burn(mine[2]?.id ?? '', 'burned_by_sender', Date.now(), [])).toBe(true);

    const page = await a.listByOwner(owner, 0, 3);
    expect(page.total).toBe(5);
    expect(page.shares.map((s) => s.id)).toEqual([mine[4], mine[3], mine[2]].map((s) => s?.id));
    expect(page.shares.every((s) => s.owner?.id === owner.id && s.owner.kind === 'user')).toBe(true);
    const rest = await b.listByOwner(owner, 3, 3);
    expect(rest.shares.map((s) => [s.id, s.state])).toEqual([
      [mine[1]?.id, 'consumed'],
      [mine[0]?.id, 'pending'],
    ]);
    expect((await a.listByOwner(owner, 0, 10)).shares.find((s) => s.id === mine[2]?.id)?.state).toBe(
      'burned',
    );
    // Content never rides along on a list, wherever it lives.
    expect(page.shares.concat(rest.shares).map((s) => s.ciphertext)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(await a.listByOwner(ownerNamed(), 0, 10)).toEqual({ total: 0, shares: [] });
  });

  it('finds a share by id only for its owner, and maps ids to owners', async () => {
    const owner = ownerNamed('machine');
    const owned = newShare({ owner });
    const anonymous = newShare();
    await a.create(owned, []);
    await b.create(anonymous, []);
    expect((await b.findOwned(owned.id, owner))?.owner).toEqual(owner);
    expect(await b.findOwned(owned.id, { kind: 'user', id: owner.id })).toBeUndefined();
    expect(await a.findOwned(owned.id, ownerNamed())).toBeUndefined();
    expect(await a.findOwned(anonymous.id, owner)).toBeUndefined();

    const owners = await b.ownersOf([owned.id, anonymous.id, randomUUID()]);
    expect([...owners.entries()]).toEqual([[owned.id, owner]]);
    expect((await a.ownersOf([])).size).toBe(0);
    // The live record (Redis holds its own copy) names its owner too.
    expect((await b.findLive(owned.tokenHash, Date.now()))?.owner).toEqual(owner);
  });

  it('lets exactly one of concurrent owner burns and claims end a share', async () => {
    const owner = ownerNamed();
    for (let round = 0; round < 5; round++) {
      const share = newShare({ owner, createdAt: Date.now() - round });
      await a.create(share, []);
      const outcomes = await Promise.all([
        a.burn(share.id, 'burned_by_sender', Date.now(), []),
        b.burn(share.id, 'burned_by_sender', Date.now(), []),
        a.claimView(share.id, Date.now(), []).then((claimed) => claimed !== undefined),
        b.claimView(share.id, Date.now(), []).then((claimed) => claimed !== undefined),
      ]);
      // Redis-held content is claimed in Redis; its SQL record (the owner's list) follows.
      expect(outcomes.filter(Boolean), `round ${round}`).toHaveLength(1);
      expect((await b.findOwned(share.id, owner))?.state, `round ${round}`).not.toBe('pending');
    }
  });
});
