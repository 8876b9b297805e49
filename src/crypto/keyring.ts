import { randomBytes } from 'node:crypto';
import type { AuditEvent } from '../audit/audit-types.js';
import type { KeyRecord, KeyringStore } from '../storage/keyring-store.js';
import { DecryptionError, open, seal } from './aead.js';
import { hkdfSha256 } from './share-key.js';

export const KEK_BYTES = 32;
/** How long a node writes with its active key before reading the keyring again (a rotation elsewhere). */
export const KEYRING_REFRESH_MS = 60_000;

/** A key-encryption key in the clear, with the version that names it in stored records. */
export interface KeyEncryptionKey {
  readonly version: number;
  readonly key: Buffer;
}

export interface KeyringDeps {
  readonly store: KeyringStore;
  readonly masterKey: Buffer;
  readonly now?: () => number;
  /** How long the active key is used before the store is read again (another node may rotate). */
  readonly refreshMs?: number;
}

/** Versioned key-encryption keys: the highest version wraps new data keys, every version unwraps. */
export interface Keyring {
  /** The active (highest) key; creates version 1 when the keyring is empty, once across nodes. */
  active(): Promise<KeyEncryptionKey>;
  /** The key of `version`, re-reading the store for one not seen yet; DecryptionError if none opens. */
  get(version: number): Promise<Buffer>;
  /**
   * Adds a key above every existing one and returns its version; racing rotations get distinct
   * ones. `eventsFor(version)` are stored with the key that takes that version, in the same step.
   */
  rotate(eventsFor?: (version: number) => readonly AuditEvent[]): Promise<number>;
}

const wrapAad = (version: number) => Buffer.from(`hush/keyring/v1/${version}`, 'utf8');

/** Keys are wrapped by a key derived from the master key, each bound to its version. */
export function createKeyring(deps: KeyringDeps): Keyring {
  const now = deps.now ?? Date.now;
  const refreshMs = deps.refreshMs ?? KEYRING_REFRESH_MS;
  const wrappingKey = hkdfSha256(deps.masterKey, Buffer.alloc(0), 'hush/keyring/v1');
  // A version whose stored key does not open keeps its error: reading with it must fail loudly.
  const keys = new Map<number, Buffer | DecryptionError>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  const unwrap = (record: KeyRecord): Buffer | DecryptionError => {
    try {
      return open(wrappingKey, record.wrappedKey, wrapAad(record.version));
    } catch (error) {
      return error instanceof DecryptionError ? error : new DecryptionError('keyring key unreadable');
    }
  };

  // One read of the store at a time; callers arriving meanwhile share it.
  const reload = () => {
    loading ??= (async () => {
      const records = await deps.store.list();
      for (const record of records) if (!keys.has(record.version)) keys.set(record.version, unwrap(record));
      loadedAt = now();
    })().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  const highest = () => Math.max(0, ...keys.keys());

  const add = async (version: number, events: readonly AuditEvent[] = []): Promise<Buffer | undefined> => {
    const key = randomBytes(KEK_BYTES);
    const stored = await deps.store.add(
      { version, wrappedKey: seal(wrappingKey, key, wrapAad(version)), createdAt: now() },
      events,
    );
    return stored ? key : undefined;
  };

  const known = (version: number): Buffer => {
    const key = keys.get(version);
    if (key === undefined) throw new DecryptionError(`no keyring key ${version}`);
    if (key instanceof DecryptionError) throw key;
    return key;
  };

  return {
    async active() {
      if (keys.size === 0 || now() - loadedAt >= refreshMs) await reload();
      if (keys.size === 0) {
        // Several nodes may start on an empty keyring at once: one version 1 wins, all use it.
        await add(1);
        await reload();
      }
      const version = highest();
      return { version, key: known(version) };
    },
    async get(version) {
      // Twice: the first may join a read that began before the row this key opens was written.
      if (!keys.has(version)) await reload();
      if (!keys.has(version)) await reload();
      return known(version);
    },
    async rotate(eventsFor) {
      for (;;) {
        await reload();
        const version = highest() + 1;
        const key = await add(version, eventsFor?.(version));
        if (key) {
          keys.set(version, key);
          return version;
        }
        // Another node took this version first: read its key and try the next one.
      }
    },
  };
}
