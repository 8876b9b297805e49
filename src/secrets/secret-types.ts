import type { Identity } from '../domain/principal.js';

/** Who acts on a secret: the policy subject (a user or a machine), and who the audit log records. */
export type SecretActor = Identity;

/** String metadata stored (encrypted) beside a value. */
export type SecretMetadata = Readonly<Record<string, string>>;

/** What one version holds, sealed as a whole. */
export interface SecretContent {
  readonly value: string;
  readonly metadata: SecretMetadata;
}

export interface WriteSecretInput {
  readonly value: string;
  readonly metadata?: SecretMetadata | undefined;
  readonly ttlSeconds?: number | undefined;
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

/** One version's content; `version` says which. */
export interface SecretValue extends SecretSummary, SecretContent {}

export interface SecretPage {
  readonly total: number;
  readonly secrets: readonly SecretSummary[];
}

export interface SecretVersionInfo {
  readonly version: number;
  readonly keyVersion: number;
  readonly createdAt: Date;
}
