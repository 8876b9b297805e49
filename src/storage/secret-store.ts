import type { AuditEvent } from '../audit/audit-types.js';

/** KV version 2's settings of one secret (migration 0011); a secret written before has the defaults. */
export interface SecretSettings {
  /** Versions kept; 0 means the `secrets.max_versions` setting. */
  readonly maxVersions: number;
  /** Every write must then give an expected version (`cas`). */
  readonly casRequired: boolean;
  /** A version this long past its `createdAt` counts as deleted (a rule applied on reading); 0 = never. */
  readonly deleteVersionAfterSeconds: number;
  /** Labels about the secret, stored in the clear. */
  readonly customMetadata: Readonly<Record<string, string>>;
}

/** Labels as a secret stores them. */
export type CustomMetadata = Readonly<Record<string, string>>;

/**
 * A change of settings: each one given replaces the stored one. `mergeCustomMetadata` instead
 * computes the new labels from the stored ones (a patch), synchronously, under the same lock as
 * the write, so concurrent merges each see the one before them; when it throws, nothing is
 * stored and setSettings rejects with its error.
 */
export interface SettingsChange extends Partial<SecretSettings> {
  readonly mergeCustomMetadata?: ((stored: CustomMetadata) => CustomMetadata) | undefined;
}

export const DEFAULT_SECRET_SETTINGS: SecretSettings = {
  maxVersions: 0,
  casRequired: false,
  deleteVersionAfterSeconds: 0,
  customMetadata: {},
};

/**
 * A stored secret's record: its name, current version and settings, never its content. Times:
 * epoch ms. `currentVersion` is 0 for a secret whose settings were written before any version.
 */
export interface SecretRecord extends SecretSettings {
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

/** Whether a version was soft-deleted or destroyed, and when (undefined: it was not). */
export interface VersionLife {
  readonly deletedAt?: number | undefined;
  /** A destroyed version's ciphertext and wrapped key are zero-length: erased for good. */
  readonly destroyedAt?: number | undefined;
}

export interface SecretVersionRecord extends SealedVersion, VersionLife {
  readonly secretId: string;
  readonly version: number;
  readonly createdAt: number;
}

export interface VersionInfo extends VersionLife {
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
  /** Versions to keep when the secret sets no `maxVersions` of its own; older ones are erased in the same step. */
  readonly keep: number;
  /** Check-and-set: write only if this is the secret's current version (0: one with no version yet). */
  readonly cas?: number | undefined;
  /** Hand `seal` the version this one follows, read under the same lock (undefined after version 0). */
  readonly previous?: boolean | undefined;
}

export type UpdateResult =
  | { readonly status: 'written'; readonly secret: SecretRecord }
  /**
   * `cas` was given and is not the current version (which is reported), or none was given to a
   * secret with `casRequired`. Nothing was stored.
   */
  | { readonly status: 'cas_mismatch'; readonly currentVersion: number }
  | { readonly status: 'not_found' };

/** Which versions a delete takes: numbers, or the current one (KV v2's DELETE of data/). */
export type VersionTarget = readonly number[] | 'latest';

/** The audit events for the versions a change actually changed (never called with none). */
export type ChangeEvents = (changed: readonly number[]) => readonly AuditEvent[];

/**
 * What the secret services need from storage (SQL on every backend). A secret whose `expiresAt`
 * is at or before `now` is gone for every call but `purgeExpired` and the rewrap pair.
 */
export interface SecretStore {
  /**
   * Stores a new secret with its first version (none: a secret of settings only, version 0).
   * Guarantee: of concurrent creates of one name, from any number of nodes, exactly one returns
   * true; the others store nothing. This is the check-and-set `cas = 0` of a new name. An expired
   * secret of that name is erased in the same step, so it never holds the name. `events` are
   * stored in the same atomic step, and only when the secret is.
   */
  create(
    secret: SecretRecord,
    first: SecretVersionRecord | undefined,
    now: number,
    events?: readonly AuditEvent[],
  ): Promise<boolean>;
  find(id: string, now: number): Promise<SecretRecord | undefined>;
  findByName(name: string, now: number): Promise<SecretRecord | undefined>;
  /**
   * A live secret with one version, deleted or destroyed ones included (their state is in the
   * record): the current one when `version` is undefined.
   */
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
   * number the store chose, given the version before it when `options.previous` asks (a merge reads
   * it: nothing can come between). Guarantees: concurrent updates of one secret, from any number
   * of nodes, each get a distinct version number; with `cas`, the version bump itself holds the
   * check (its WHERE is `current_version = cas`), so of concurrent updates with the same `cas`
   * exactly one is written and the others answer cas_mismatch; without `cas` the bump requires
   * `casRequired` false as it is under the same lock, so no write without `cas` lands after a
   * change to `casRequired: true` (it answers cas_mismatch). Versions beyond the secret's limit
   * are erased and `events` (synchronous, for the version chosen) stored in the same atomic step.
   * When `seal` throws, nothing is stored and the update rejects with its error.
   */
  update(
    id: string,
    options: UpdateOptions,
    seal: (version: number, previous: SecretVersionRecord | undefined) => SealedVersion,
    events?: (version: number) => readonly AuditEvent[],
  ): Promise<UpdateResult>;
  /**
   * Soft-deletes the target versions that are neither deleted nor destroyed, in one atomic step
   * with `events` for them (none when nothing changed). Returns the versions changed, or undefined
   * for no live secret. Of concurrent deletes of one version, exactly one reports it.
   */
  deleteVersions(
    id: string,
    versions: VersionTarget,
    now: number,
    events: ChangeEvents,
  ): Promise<number[] | undefined>;
  /** Undeletes soft-deleted versions that are not destroyed; otherwise as deleteVersions. */
  undeleteVersions(
    id: string,
    versions: VersionTarget,
    now: number,
    events: ChangeEvents,
  ): Promise<number[] | undefined>;
  /**
   * Destroys versions not destroyed yet: their ciphertext and wrapped data key are overwritten
   * with zero-length values in the row, for good; otherwise as deleteVersions.
   */
  destroyVersions(
    id: string,
    versions: VersionTarget,
    now: number,
    events: ChangeEvents,
  ): Promise<number[] | undefined>;
  /**
   * Changes the given settings of a live secret; versions beyond its (new) limit, `keep` when it
   * sets none, are erased and `events` stored in the same atomic step. Undefined for no live secret.
   * Guarantee: of concurrent calls with `mergeCustomMetadata`, from any number of nodes, each
   * merges into the labels the one before it stored: no merge is lost.
   */
  setSettings(
    id: string,
    settings: SettingsChange,
    options: { readonly now: number; readonly keep: number },
    events?: readonly AuditEvent[],
  ): Promise<SecretRecord | undefined>;
  /**
   * Erases a live secret and every version; false when there was none. `events` are stored in the
   * same atomic step, and only when a secret was erased.
   */
  delete(id: string, now: number, events?: readonly AuditEvent[]): Promise<boolean>;
  /** Erases up to `limit` secrets expired at `now`, with their versions; returns how many. */
  purgeExpired(now: number, limit: number): Promise<number>;
  /**
   * Versions whose data key a keyring key below `keyVersion` wraps, destroyed ones left out, in
   * (secret id, version) order after `after`.
   */
  staleVersions(
    keyVersion: number,
    after: { readonly secretId: string; readonly version: number } | undefined,
    limit: number,
  ): Promise<SecretVersionRecord[]>;
  /**
   * Applies each move as a compare-and-set on (secret id, version, fromKeyVersion): a version that
   * was rewrapped, replaced, destroyed or erased meanwhile is left alone. Returns how many moved.
   */
  rewrap(moves: readonly RewrapMove[]): Promise<number>;
}
