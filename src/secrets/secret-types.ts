import type { Identity } from '../domain/principal.js';
import type { KvData } from './kv-types.js';

/** Who acts on a secret: the policy subject (a user or a machine), and who the audit log records. */
export type SecretActor = Identity;

/** String metadata stored (encrypted) beside a value. */
export type SecretMetadata = Readonly<Record<string, string>>;

/** What one version holds, sealed as a whole: KV data (the seed's value is `data.value`) and metadata. */
export interface SecretContent {
  readonly data: KvData;
  readonly metadata: SecretMetadata;
}

/** The seed's write: a `value` (the key `value` of the data) or the whole `data`, not both. */
export interface WriteSecretInput {
  readonly value?: string | undefined;
  readonly data?: KvData | undefined;
  readonly metadata?: SecretMetadata | undefined;
  readonly ttlSeconds?: number | undefined;
  /** Check-and-set, as KV v2's (KvWriteInput.cas). */
  readonly cas?: number | undefined;
}

export interface CreateSecretInput extends WriteSecretInput {
  readonly name: string;
}

/** A secret without its content. `createdAt` is the secret's, `updatedAt` its newest version's. */
export interface SecretSummary {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly expiresAt: Date | undefined;
}

/** One version's content; `version` says which. `value` is `data.value` (undefined when it has none). */
export interface SecretValue extends SecretSummary, SecretContent {
  readonly value: string | undefined;
}

export interface SecretPage {
  readonly total: number;
  readonly secrets: readonly SecretSummary[];
}

export interface SecretVersionInfo {
  readonly version: number;
  readonly keyVersion: number;
  readonly createdAt: Date;
}
