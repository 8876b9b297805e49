import type { Logger } from 'pino';
import { DecryptionError } from '../crypto/aead.js';
import { KEYRING_REFRESH_MS, type Keyring } from '../crypto/keyring.js';
import type { KeyRecord } from '../storage/keyring-store.js';
import type { RewrapMove, SecretStore } from '../storage/secret-store.js';
import { unwrapDataKey, wrapDataKey } from './secret-crypto.js';

export interface RewrapDeps {
  readonly store: Pick<SecretStore, 'staleVersions' | 'rewrap'>;
  readonly keyring: Keyring;
  readonly logger: Logger;
  readonly batchSize?: number;
}

export interface RewrapResult {
  /** The active keyring version the data keys were moved to. */
  readonly keyVersion: number;
  readonly moved: number;
  /** Changed by someone else meanwhile (rewrapped, updated away, erased): left as they were. */
  readonly skipped: number;
  /** Data keys that did not open: left as they were, and logged. */
  readonly unreadable: number;
}

/** Writes still in flight, and a small clock skew between the host that rotated and this one. */
const SETTLE_MARGIN_MS = 5_000;

/**
 * How long a rewrap waits before it starts: nodes read the keyring again every KEYRING_REFRESH_MS,
 * so until then after a rotation they may still write versions with the older key, which a rewrap
 * that ran meanwhile would miss. Zero once the newest key is older than that.
 */
export function rewrapSettleMs(keys: readonly KeyRecord[], now: number): number {
  const newest = keys.at(-1);
  const settle = KEYRING_REFRESH_MS + SETTLE_MARGIN_MS;
  // Never longer than that: a key stamped by a clock running ahead must not stall the rewrap.
  return newest ? Math.min(settle, Math.max(0, newest.createdAt + settle - now)) : 0;
}

/**
 * Moves every version's data key from an older keyring key to the active one, in batches. Only
 * the wrapped data key changes, never the ciphertext; each move is a compare-and-set, so it is
 * safe while other nodes serve, update and delete.
 */
export async function rewrapSecrets(deps: RewrapDeps): Promise<RewrapResult> {
  const { store, keyring } = deps;
  const batchSize = deps.batchSize ?? 200;
  const active = await keyring.active();
  let moved = 0;
  let skipped = 0;
  let unreadable = 0;
  let after: { secretId: string; version: number } | undefined;
  for (;;) {
    const batch = await store.staleVersions(active.version, after, batchSize);
    const moves: RewrapMove[] = [];
    for (const stale of batch) {
      const ref = { secretId: stale.secretId, version: stale.version };
      try {
        const old = { version: stale.keyVersion, key: await keyring.get(stale.keyVersion) };
        const dataKey = unwrapDataKey(old, ref, stale.wrappedKey);
        moves.push({
          ...ref,
          fromKeyVersion: stale.keyVersion,
          wrappedKey: wrapDataKey(active, ref, dataKey),
          keyVersion: active.version,
        });
        dataKey.fill(0);
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        unreadable += 1;
        deps.logger.error(
          { ...ref, keyVersion: stale.keyVersion, reason: error.message },
          'secret data key could not be unwrapped; left as it was',
        );
      }
    }
    const applied = moves.length > 0 ? await store.rewrap(moves) : 0;
    moved += applied;
    skipped += moves.length - applied;
    const last = batch.at(-1);
    if (batch.length < batchSize || !last) break;
    after = { secretId: last.secretId, version: last.version };
  }
  return { keyVersion: active.version, moved, skipped, unreadable };
}
