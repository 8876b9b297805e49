import type { AuditEvent } from '../audit/audit-types.js';

/** A key-encryption key as stored: wrapped by the master key, never in the clear. */
export interface KeyRecord {
  readonly version: number;
  readonly wrappedKey: Buffer;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** What the keyring needs from storage (SQL on every backend). Keys are never changed or removed. */
export interface KeyringStore {
  /** Every key, lowest version first. */
  list(): Promise<KeyRecord[]>;
  /**
   * Stores `key` under its version unless that version exists, and with it `events`, in one atomic
   * step: an event that cannot be stored leaves no key. Guarantee: of concurrent adds of one
   * version, from any number of nodes, exactly one returns true; the others store nothing.
   */
  add(key: KeyRecord, events?: readonly AuditEvent[]): Promise<boolean>;
}
