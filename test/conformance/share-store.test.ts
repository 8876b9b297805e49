import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewShareRecord, ShareStore } from '../../src/storage/share-store.js';
import { BACKEND_NAMES, type Backend, makeBackend } from './backend-matrix.js';
import { MINUTE, newShare } from './share-records.js';
import { openShareStoreProcess } from './store-process.js';

/** A failed attempt with no audit events (the store's own cases). */
const NO_EVENTS = { attempt: [], burned: [] } as const;

/**
 * Two nodes on one backend: `local` in this process and `remote` in a child process with its
 * own connections, as two hush nodes have.
 */
interface Pair {
  readonly backend: Backend;
  readonly local: ShareStore;
  /** Both stores; concurrent calls alternate between them. */
  readonly stores: readonly [ShareStore, ShareStore];
  close(): Promise<void>;
}

async function openPair(name: (typeof BACKEND_NAMES)[number]): Promise<Pair> {
  const backend = await makeBackend(name);
  const local = await backend.open();
  const remote = await openShareStoreProcess(backend.env);
  return {
    backend,
    local: local.storage.shares,
    stores: [local.storage.shares, remote.shares],
    async close() {
      await remote.close();
      await local.close();
      backend.cleanup();
    },
  };
}

/** The content a receipt's record shows: the share's own, or none where content lives elsewhere. */
const receiptContent = (pair: Pair, share: NewShareRecord) =>
  pair.backend.receiptHoldsContent ? share.ciphertext : undefined;

/** Fires `count` calls at once, alternating between the two connections. */
function race<T>(pair: Pair, count: number, call: (store: ShareStore, index: number) => Promise<T>) {
  return Promise.all(Array.from({ length: count }, (_, i) => call(pair.stores[i % 2] as ShareStore, i)));
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

describe.each(BACKEND_NAMES)('%s share store: claims, attempts and burns on two nodes', (name) => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await openPair(name);
  });
  afterAll(() => pair?.close());

  it('stores a share and finds it by token and receipt from either connection', async () => {
    const share = newShare({ maxViews: 3, passphraseHash: '$argon2id$fake', passphraseScope: 'burn' });
    await pair.local.create(share, []);

    for (const store of pair.stores) {
      const live = await store.findLive(share.tokenHash, Date.now());
      expect(live).toEqual({
        ...share,
        viewsUsed: 0,
        failedAttempts: 0,
        state: 'pending',
        endReason: undefined,
        endedAt: undefined,
      });
      expect(await store.findByReceipt(share.receiptHash)).toEqual({
        ...live,
        ciphertext: receiptContent(pair, share),
      });
    }
    expect(await pair.local.findLive('token-unknown', Date.now())).toBeUndefined();
    expect(await pair.local.findByReceipt('receipt-unknown')).toBeUndefined();
  });

  it('keeps the link verifier hash of a share, and none for a share made without one', async () => {
    const keyCheckHash = 'ab'.repeat(32);
    const checked = newShare({ keyCheckHash });
    const plain = newShare();
    await pair.local.create(checked, []);
    await pair.local.create(plain, []);
    for (const store of pair.stores) {
      expect((await store.findLive(checked.tokenHash, Date.now()))?.keyCheckHash).toBe(keyCheckHash);
      expect(await store.findLive(plain.tokenHash, Date.now())).toHaveProperty('keyCheckHash', undefined);
      expect((await store.findByReceipt(checked.receiptHash))?.keyCheckHash).toBe(keyCheckHash);
    }
    // A wrong proof is counted like a wrong passphrase: the verifier stays, nothing is spent.
    expect(await pair.stores[1].recordFailedAttempt(checked.id, 10, Date.now(), NO_EVENTS)).toEqual({
      attempts: 1,
      burned: false,
    });
    expect(await pair.local.findLive(checked.tokenHash, Date.now())).toMatchObject({
      keyCheckHash,
      failedAttempts: 1,
      viewsUsed: 0,
      ciphertext: checked.ciphertext,
    });
  });

  it('refuses a second share with the same token hash', async () => {
    const share = newShare();
    await pair.local.create(share, []);
    await expect(pair.stores[1].create(newShare({ tokenHash: share.tokenHash }), [])).rejects.toThrow();
  });

  it('keeps content and counts views while views remain', async () => {
    const share = newShare({ maxViews: 3 });
    await pair.local.create(share, []);

    const claimed = await pair.stores[1].claimView(share.id, Date.now(), []);
    expect(claimed).toEqual({ ciphertext: share.ciphertext, viewsLeft: 2 });
    const live = await pair.local.findLive(share.tokenHash, Date.now());
    expect(live).toMatchObject({ viewsUsed: 1, state: 'pending', ciphertext: share.ciphertext });
  });

  it.each([1, 3])(
    'grants exactly max_views = %i of 50 concurrent claims per share, then erases',
    async (maxViews) => {
      // Many shares at once keep both connections busy together, so their claims truly contend.
      const shares = Array.from({ length: 10 }, () => newShare({ maxViews }));
      for (const share of shares) await pair.local.create(share, []);

      const results = await Promise.all(
        shares.map((share) => race(pair, 50, (store) => store.claimView(share.id, Date.now(), []))),
      );

      for (const [i, share] of shares.entries()) {
        const granted = (results[i] ?? []).filter((claim) => claim !== undefined);
        expect(granted).toHaveLength(maxViews);
        for (const claim of granted) expect(claim.ciphertext).toEqual(share.ciphertext);
        // Each grant saw a distinct count: the claims were serialized, not merely capped.
        expect(sorted(granted.map((claim) => claim.viewsLeft))).toEqual(
          Array.from({ length: maxViews }, (_, n) => n),
        );

        expect(await pair.local.findLive(share.tokenHash, Date.now())).toBeUndefined();
        expect(await pair.stores[1].findByReceipt(share.receiptHash)).toMatchObject({
          ciphertext: undefined,
          state: 'consumed',
          endReason: 'viewed',
          viewsUsed: maxViews,
        });
        expect(await pair.stores[1].claimView(share.id, Date.now(), [])).toBeUndefined();
      }
    },
  );

  it('never serves an expired share, even before expireBatch has run', async () => {
    const share = newShare({ maxViews: 5 });
    await pair.local.create(share, []);
    const { expiresAt } = share;

    expect(await pair.stores[1].claimView(share.id, expiresAt - 1, [])).toBeDefined();
    const late = await race(pair, 10, (store, i) => store.claimView(share.id, expiresAt + i, []));
    expect(late.every((claim) => claim === undefined)).toBe(true);
    expect(await pair.local.findLive(share.tokenHash, expiresAt)).toBeUndefined();
    expect(await pair.local.recordFailedAttempt(share.id, 10, expiresAt, NO_EVENTS)).toBeUndefined();
    expect(await pair.stores[1].burn(share.id, 'burned', expiresAt, [])).toBe(false);

    // Not swept yet: the record is still pending (with its content, where records hold it).
    const stored = await pair.local.findByReceipt(share.receiptHash);
    expect(stored).toMatchObject({ state: 'pending', viewsUsed: 1, failedAttempts: 0 });
    expect(stored?.ciphertext).toEqual(receiptContent(pair, share));
  });

  it('counts 40 concurrent wrong passphrases exactly and burns once at the limit', async () => {
    const limit = 5;
    const share = newShare({ maxViews: 2 });
    await pair.local.create(share, []);

    const results = await race(pair, 40, (store) =>
      store.recordFailedAttempt(share.id, limit, Date.now(), NO_EVENTS),
    );
    const counted = results.filter((result) => result !== undefined);
    expect(sorted(counted.map((result) => result.attempts))).toEqual([1, 2, 3, 4, 5]);
    expect(counted.filter((result) => result.burned)).toEqual([{ attempts: limit, burned: true }]);

    expect(await pair.local.findByReceipt(share.receiptHash)).toMatchObject({
      state: 'burned',
      endReason: 'passphrase_attempts',
      failedAttempts: limit,
      ciphertext: undefined,
      viewsUsed: 0,
    });
    expect(await pair.stores[1].claimView(share.id, Date.now(), [])).toBeUndefined();
  });

  it('counts concurrent wrong passphrases below the limit without ending the share', async () => {
    const share = newShare();
    await pair.local.create(share, []);

    const results = await race(pair, 30, (store) =>
      store.recordFailedAttempt(share.id, 100, Date.now(), NO_EVENTS),
    );
    expect(sorted(results.map((result) => result?.attempts ?? 0))).toEqual(
      Array.from({ length: 30 }, (_, n) => n + 1),
    );
    expect(results.some((result) => result?.burned)).toBe(false);
    expect(await pair.local.findLive(share.tokenHash, Date.now())).toMatchObject({
      failedAttempts: 30,
      viewsUsed: 0,
      ciphertext: share.ciphertext,
    });
  });

  it('lets exactly one of 20 concurrent burns succeed, and no claim after it', async () => {
    const share = newShare({ maxViews: 3 });
    await pair.local.create(share, []);

    const burns = await race(pair, 20, (store) => store.burn(share.id, 'burned_by_sender', Date.now(), []));
    expect(burns.filter(Boolean)).toHaveLength(1);

    const claims = await race(pair, 20, (store) => store.claimView(share.id, Date.now(), []));
    expect(claims.every((claim) => claim === undefined)).toBe(true);
    expect(await pair.local.findByReceipt(share.receiptHash)).toMatchObject({
      state: 'burned',
      endReason: 'burned_by_sender',
      ciphertext: undefined,
      viewsUsed: 0,
    });
    expect(await pair.local.burn(share.id, 'burned', Date.now(), [])).toBe(false);
  });

  it('decides each single-view share once when claims and burns race', async () => {
    const shares = Array.from({ length: 10 }, () => newShare({ maxViews: 1 }));
    for (const share of shares) await pair.local.create(share, []);

    const outcomes = await Promise.all(
      shares.map((share) =>
        race(pair, 40, (store, i) =>
          i % 4 < 2
            ? store.claimView(share.id, Date.now(), []).then((claim) => (claim ? 'claimed' : 'lost'))
            : store.burn(share.id, 'burned', Date.now(), []).then((burned) => (burned ? 'burned' : 'lost')),
        ),
      ),
    );

    for (const [i, share] of shares.entries()) {
      const winners = (outcomes[i] ?? []).filter((outcome) => outcome !== 'lost');
      expect(winners).toHaveLength(1);
      const stored = await pair.local.findByReceipt(share.receiptHash);
      expect(stored?.ciphertext).toBeUndefined();
      expect(stored?.state).toBe(winners[0] === 'claimed' ? 'consumed' : 'burned');
      expect(stored?.viewsUsed).toBe(winners[0] === 'claimed' ? 1 : 0);
    }
  });

  it('counts every concurrent claim on a burnable share exactly once', async () => {
    const share = newShare({ maxViews: 100 });
    await pair.local.create(share, []);

    const results = await race(pair, 60, (store, i) =>
      i === 30
        ? store.burn(share.id, 'burned', Date.now(), []).then((burned) => (burned ? 'burned' : 'lost'))
        : store.claimView(share.id, Date.now(), []).then((claim) => (claim ? 'claimed' : 'lost')),
    );
    const granted = results.filter((outcome) => outcome === 'claimed');
    expect(results[30]).toBe('burned');
    // No phantom increments: the stored count is exactly the number of views handed out.
    const stored = await pair.local.findByReceipt(share.receiptHash);
    expect(stored).toMatchObject({ state: 'burned', ciphertext: undefined, viewsUsed: granted.length });
  });
});

describe.each(BACKEND_NAMES)('%s share store: sweeping on two nodes', (name) => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await openPair(name);
  });
  afterAll(() => pair?.close());

  it('expires each share once across concurrent sweepers and erases its content', async () => {
    const now = Date.now();
    const expired = Array.from({ length: 60 }, (_, i) =>
      newShare({ createdAt: now - 2 * MINUTE, expiresAt: now - MINUTE + i }),
    );
    const live = Array.from({ length: 5 }, () => newShare({ expiresAt: now + MINUTE }));
    for (const share of [...expired, ...live]) await pair.local.create(share, []);

    // Each sweeper drains in small batches until it finds nothing, as the real sweeper loops.
    const sweep = async (store: ShareStore) => {
      const ids: string[] = [];
      for (
        let batch = await store.expireBatch(now, 7, () => []);
        batch.length > 0;
        batch = await store.expireBatch(now, 7, () => [])
      ) {
        expect(batch.length).toBeLessThanOrEqual(7);
        ids.push(...batch);
      }
      return ids;
    };
    const [first, second] = await Promise.all(pair.stores.map(sweep));
    const all = [...(first ?? []), ...(second ?? [])];

    expect(all).toHaveLength(expired.length);
    expect(new Set(all)).toEqual(new Set(expired.map((share) => share.id)));
    for (const share of expired) {
      expect(await pair.local.findByReceipt(share.receiptHash)).toMatchObject({
        state: 'expired',
        endReason: 'expired',
        ciphertext: undefined,
        endedAt: share.expiresAt,
      });
    }
    for (const share of live) {
      expect(await pair.local.findByReceipt(share.receiptHash)).toMatchObject({ state: 'pending' });
      expect(await pair.local.findLive(share.tokenHash, now)).toMatchObject({ ciphertext: share.ciphertext });
    }
  });

  it('purges only ended records that ended before the cutoff', async () => {
    // A year back: the records the previous test ended lie after every cutoff used here.
    const base = Date.now() - 365 * 24 * 60 * MINUTE;
    const at = (minutes: number) => base + minutes * MINUTE;
    // Live until after the test in real time too: Redis drops content at expires_at by the clock.
    const share = (expiresAt = Date.now() + 10 * MINUTE) => newShare({ createdAt: at(0), expiresAt });

    const oldConsumed = share();
    const oldBurned = share();
    const oldExpired = share(at(1));
    const recentConsumed = share();
    const oldPending = share(); // pending records are never purged, however old
    for (const record of [oldConsumed, oldBurned, oldExpired, recentConsumed, oldPending]) {
      await pair.local.create(record, []);
    }
    await pair.local.claimView(oldConsumed.id, at(2), []);
    await pair.local.burn(oldBurned.id, 'burned', at(3), []);
    expect(await pair.local.expireBatch(at(4), 100, () => [])).toEqual([oldExpired.id]);
    await pair.local.claimView(recentConsumed.id, at(10), []);

    const cutoff = at(10); // strictly before: a record that ended at the cutoff is kept
    const counts = await race(pair, 6, (store) => store.purgeBatch(cutoff, 1));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(3);

    for (const gone of [oldConsumed, oldBurned, oldExpired]) {
      expect(await pair.local.findByReceipt(gone.receiptHash)).toBeUndefined();
    }
    expect(await pair.local.findByReceipt(recentConsumed.receiptHash)).toMatchObject({ state: 'consumed' });
    expect(await pair.local.findByReceipt(oldPending.receiptHash)).toMatchObject({ state: 'pending' });
  });
});
