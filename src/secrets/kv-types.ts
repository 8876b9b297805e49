import type { ClientInfo } from '../domain/client-info.js';
import type { SecretActor } from './secret-types.js';

/**
 * KV version 2's model of a secret (the one Vault and OpenBao use): a path name with numbered
 * versions, each holding a JSON object of string keys to string values. The seed's single `value`
 * is the key `value` of that object.
 */
export type KvData = Readonly<Record<string, string>>;

/** A merge patch (RFC 7386) of a version's data: `null` removes a key. */
export type KvPatch = Readonly<Record<string, string | null>>;

/** Which secret: by its path name (KV and Vault routes) or by its id (the seed's routes). */
export type SecretRef = { readonly name: string } | { readonly id: string };

/** A version's life: soft-deleted versions can be undeleted; destroyed ones are erased for good. */
export interface KvVersionState {
  readonly version: number;
  readonly createdAt: Date;
  /** When it was soft-deleted (or will be, by `deleteVersionAfterSeconds`); undefined while live. */
  readonly deletedAt: Date | undefined;
  readonly destroyed: boolean;
}

/** Per-secret settings, as KV v2's metadata endpoint sets them. */
export interface KvSettings {
  /** Versions kept; 0 means the `secrets.max_versions` setting. Older ones are erased on write. */
  readonly maxVersions: number;
  /** Every write must then give `cas`. */
  readonly casRequired: boolean;
  /** Versions are soft-deleted this long after they were written; 0 = never. */
  readonly deleteVersionAfterSeconds: number;
  /** Labels about the secret (not secret themselves: shown to whoever may read the secret). */
  readonly customMetadata: Readonly<Record<string, string>>;
}

/**
 * A change of settings as setMetadata takes it: each setting given replaces the stored one;
 * `customMetadataPatch` (RFC 7386: null removes a key) instead merges into the labels as stored,
 * inside the store's write step, so concurrent patches from any number of nodes lose nothing.
 * Not together with `customMetadata`; a secret that does not exist has no labels to patch
 * (not_found).
 */
export interface KvSettingsChange extends Partial<KvSettings> {
  readonly customMetadataPatch?: KvPatch | undefined;
}

/** A secret's metadata: its settings and every version it keeps, oldest first. Never content. */
export interface KvMetadata extends KvSettings {
  readonly id: string;
  readonly name: string;
  /** The newest version's number (0 before the first write). */
  readonly currentVersion: number;
  /** The oldest version still kept (0 when none). */
  readonly oldestVersion: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly expiresAt: Date | undefined;
  readonly versions: readonly KvVersionState[];
}

export interface KvWriteInput {
  readonly data: KvData;
  /** Check-and-set: 0 = only if the secret does not exist; N = only if N is its current version. */
  readonly cas?: number | undefined;
  /** Replaces the secret's TTL (the seed's secret expiry); kept when undefined. */
  readonly ttlSeconds?: number | undefined;
  /** The seed's encrypted string metadata of the version; kept from the last version when undefined. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** What a write answers: the version it made. */
export interface KvWritten {
  readonly id: string;
  readonly name: string;
  readonly version: KvVersionState;
  /** True when this write created the secret. */
  readonly created: boolean;
  readonly customMetadata: Readonly<Record<string, string>>;
  readonly expiresAt: Date | undefined;
}

/** One version's content. */
export interface KvRead {
  readonly id: string;
  readonly name: string;
  readonly data: KvData;
  /** The seed's encrypted string metadata of the version. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly version: KvVersionState;
  readonly customMetadata: Readonly<Record<string, string>>;
  readonly expiresAt: Date | undefined;
}

/** `latest` names the current version when it is live (what KV v2's DELETE of data/ does). */
export type VersionSelection = readonly number[] | 'latest';

/**
 * The KV v2 operations of the secret store, under the same path policies as SecretService: what
 * the actor may not read is not_found (404); without the capability an operation needs, forbidden
 * (403). Errors: cas_mismatch (409; Vault's surface answers 400) when `cas` does not hold or is
 * required and missing; version_deleted / version_destroyed (404) when reading such a version.
 * Every change is audited in the same atomic step as the change.
 */
export interface KvService {
  /**
   * Creates the secret (needs `create`) or adds a version (needs `update`). Guarantee: of concurrent
   * writes with the same `cas`, from any number of nodes, exactly one succeeds.
   */
  write(actor: SecretActor, name: string, input: KvWriteInput, client: ClientInfo): Promise<KvWritten>;
  /** Merges into the current version's data (which must exist and be live); needs `update`. */
  patch(
    actor: SecretActor,
    name: string,
    patch: KvPatch,
    cas: number | undefined,
    client: ClientInfo,
  ): Promise<KvWritten>;
  /** The current version, or `version`; audited as secret.read. */
  read(actor: SecretActor, ref: SecretRef, version: number | undefined, client: ClientInfo): Promise<KvRead>;
  metadata(actor: SecretActor, ref: SecretRef): Promise<KvMetadata>;
  /** Changes the given settings (needs `update`); by name, creates a secret of settings only. */
  setMetadata(
    actor: SecretActor,
    ref: SecretRef,
    settings: KvSettingsChange,
    client: ClientInfo,
  ): Promise<KvMetadata>;
  /** Soft-deletes versions (needs `delete`); unknown or already deleted versions are skipped. */
  deleteVersions(
    actor: SecretActor,
    ref: SecretRef,
    versions: VersionSelection,
    client: ClientInfo,
  ): Promise<void>;
  /**
   * Undeletes soft-deleted versions (needs `update`); destroyed ones stay destroyed. A version the
   * secret's `deleteVersionAfterSeconds` deletes is a bad_request (400): undelete does not lift
   * that rule, so nothing is changed rather than answer done and leave it unreadable.
   */
  undeleteVersions(
    actor: SecretActor,
    ref: SecretRef,
    versions: readonly number[],
    client: ClientInfo,
  ): Promise<void>;
  /** Erases versions' ciphertext and data keys for good (needs `delete`). */
  destroyVersions(
    actor: SecretActor,
    ref: SecretRef,
    versions: readonly number[],
    client: ClientInfo,
  ): Promise<void>;
  /** Erases the secret, its metadata and every version (needs `delete`). */
  deleteAll(actor: SecretActor, ref: SecretRef, client: ClientInfo): Promise<void>;
  /**
   * One folder level under `folder` ('' or ending in '/'): secret names and sub-folders (ending in
   * '/') the actor may `list`, in name order; empty when there is nothing.
   */
  list(actor: SecretActor, folder: string): Promise<readonly string[]>;
}
