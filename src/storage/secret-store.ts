import type { AuditEvent } from '../audit/audit-types.js';

/** A stored secret's record: its name and current version, never its content. Times: epoch ms. */
export interface SecretRecord {
  readonly id: string;
  readonly name: string;
  readonly currentVersion: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number | undefined;
}

/** One version's sealed content, and its data key wrapped by keyring key `keyVersion`. */
export interface SealedVersion {
  readonly ciphertext: Buffer;
  readonly wrappedKey: Buffer;
  readonly keyVersion: number;
}

export interface SecretVersionRecord extends SealedVersion {
  readonly secretId: string;
  readonly version: number;
  readonly createdAt: number;
}

export interface VersionInfo {
  readonly version: number;
  readonly keyVersion: number;
  readonly createdAt: number;
}

/** A data key rewrapped by another keyring key; applied only if the version still has `fromKeyVersion`. */
export interface RewrapMove {
  readonly secretId: string;
  readonly version: number;
  readonly fromKeyVersion: number;
  readonly wrappedKey: Buffer;
  readonly keyVersion: number;
}

export interface UpdateOptions {
  readonly now: number;
  /** Replaces the secret's expiry when given; otherwise it is kept. */
  readonly expiresAt?: number | undefined;
  /** How many versions to keep: older ones are erased in the same step. */
  readonly keep: number;
}

/**
 * What the secret service needs from storage (SQL on every backend). A secret whose `expiresAt` is
 * at or before `now` is gone for every call but `purgeExpired` and the rewrap pair.
 */
export interface SecretStore {
  /**
   * Stores a new secret with its first version. Guarantee: of concurrent creates of one name, from
   * any number of nodes, exactly one returns true; the others store nothing. An expired secret of
   * that name is erased in the same step, so it never holds the name. `events` (the audit record of
   * the create) are stored in the same atomic step, and only when the secret is.
   */
  create(
    secret: SecretRecord,
    first: SecretVersionRecord,
    now: number,
    events?: readonly AuditEvent[],
  ): Promise<boolean>;
  find(id: string, now: number): Promise<SecretRecord | undefined>;
  findByName(name: string, now: number): Promise<SecretRecord | undefined>;
  /** A live secret with one version: the current one when `version` is undefined. */
  read(
    id: string,
    version: number | undefined,
    now: number,
  ): Promise<{ secret: SecretRecord; version: SecretVersionRecord } | undefined>;
  /** Live secrets whose names start with `prefix`, in name order (binary), after `afterName`. */
  listByPrefix(
    prefix: string,
    now: number,
    afterName: string | undefined,
    limit: number,
  ): Promise<SecretRecord[]>;
  /** The versions a secret keeps, oldest first. */
  versions(id: string): Promise<VersionInfo[]>;
  /**
   * Adds the next version to a live secret; `seal` (synchronous) seals the content for the version
   * number the store chose. Guarantee: concurrent updates of one secret, from any number of nodes,
   * each get a distinct version number. Returns the updated record, or undefined for no live secret.
   * `events` (synchronous) gives the audit events for the version chosen; they are stored in the
   * same atomic step.
   */
  update(
    id: string,
    options: UpdateOptions,
    seal: (version: number) => SealedVersion,
    events?: (version: number) => readonly AuditEvent[],
  ): Promise<SecretRecord | undefined>;
  /**
   * Erases a live secret and every version; false when there was none. `events` are stored in the
   * same atomic step, and only when a secret was erased.
   */
  delete(id: string, now: number, events?: readonly AuditEvent[]): Promise<boolean>;
  /** Erases up to `limit` secrets expired at `now`, with their versions; returns how many. */
  purgeExpired(now: number, limit: number): Promise<number>;
  /** Versions whose data key a keyring key below `keyVersion` wraps, in (secret id, version) order after `after`. */
  staleVersions(
    keyVersion: number,
    after: { readonly secretId: string; readonly version: number } | undefined,
    limit: number,
  ): Promise<SecretVersionRecord[]>;
  /**
   * Applies each move as a compare-and-set on (secret id, version, fromKeyVersion): a version that
   * was rewrapped, replaced or erased meanwhile is left alone. Returns how many moved.
   */
  rewrap(moves: readonly RewrapMove[]): Promise<number>;
}
