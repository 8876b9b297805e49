import type { Selectable } from 'kysely';
import type { SecretRecord, SecretVersionRecord } from '../secret-store.js';
import type { SecretsTable, SecretVersionsTable } from './schema.js';

export type SecretRow = Selectable<SecretsTable>;
export type SecretVersionRow = Selectable<SecretVersionsTable>;

/** A `secrets` row as the domain's SecretRecord. */
export function secretFromRow(row: SecretRow): SecretRecord {
  return {
    id: row.id,
    name: row.name,
    currentVersion: row.current_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at ?? undefined,
  };
}

/** A `secret_versions` row as the domain's SecretVersionRecord. */
export function versionFromRow(row: SecretVersionRow): SecretVersionRecord {
  return {
    secretId: row.secret_id,
    version: row.version,
    ciphertext: row.ciphertext,
    wrappedKey: row.wrapped_key,
    keyVersion: row.key_version,
    createdAt: row.created_at,
  };
}

/** The columns of one version beside its secret's, as the read join names them. */
export const READ_COLUMNS = `s.id, s.name, s.current_version, s.created_at, s.updated_at, s.expires_at,
  v.version as v_version, v.ciphertext as v_ciphertext, v.wrapped_key as v_wrapped_key,
  v.key_version as v_key_version, v.created_at as v_created_at`;

export interface ReadRow extends SecretRow {
  v_version: number;
  v_ciphertext: Buffer;
  v_wrapped_key: Buffer;
  v_key_version: number;
  v_created_at: number;
}

/** A row of READ_COLUMNS as the secret and its version. */
export function readFromRow(row: ReadRow): { secret: SecretRecord; version: SecretVersionRecord } {
  return {
    secret: secretFromRow(row),
    version: {
      secretId: row.id,
      version: row.v_version,
      ciphertext: row.v_ciphertext,
      wrappedKey: row.v_wrapped_key,
      keyVersion: row.v_key_version,
      createdAt: row.v_created_at,
    },
  };
}
