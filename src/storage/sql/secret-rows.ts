import type { Selectable } from 'kysely';
import type {
  SecretRecord,
  SecretSettings,
  SecretVersionRecord,
  SettingsChange,
  VersionInfo,
} from '../secret-store.js';
import type { SecretsTable, SecretVersionsTable } from './schema.js';

export type SecretRow = Selectable<SecretsTable>;
export type SecretVersionRow = Selectable<SecretVersionsTable>;

/** Custom metadata is written by us as a JSON object of strings; anything else reads as none. */
function customMetadataOf(text: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, string>)
    : {};
}

/** A `secrets` row as the domain's SecretRecord. */
export function secretFromRow(row: SecretRow): SecretRecord {
  return {
    id: row.id,
    name: row.name,
    currentVersion: row.current_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at ?? undefined,
    maxVersions: row.max_versions,
    casRequired: row.cas_required !== 0,
    deleteVersionAfterSeconds: row.delete_version_after_seconds,
    customMetadata: customMetadataOf(row.custom_metadata),
  };
}

/** Settings as the columns store them; null for a setting not given (the statements keep the column). */
export function settingsParams(settings: Partial<SecretSettings>) {
  return {
    maxVersions: settings.maxVersions ?? null,
    casRequired: settings.casRequired === undefined ? null : settings.casRequired ? 1 : 0,
    deleteVersionAfterSeconds: settings.deleteVersionAfterSeconds ?? null,
    customMetadata: settings.customMetadata === undefined ? null : JSON.stringify(settings.customMetadata),
  };
}

/**
 * The settings a change stores, its labels merge applied to `stored`: the secret's row, read under
 * the write's own lock when the change merges (undefined for none: then nothing is stored).
 */
export function settingsOver(
  change: SettingsChange,
  stored: Pick<SecretRow, 'custom_metadata'> | undefined,
): Partial<SecretSettings> | undefined {
  const { mergeCustomMetadata, ...given } = change;
  if (!mergeCustomMetadata) return given;
  return (
    stored && { ...given, customMetadata: mergeCustomMetadata(customMetadataOf(stored.custom_metadata)) }
  );
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
    deletedAt: row.deleted_at ?? undefined,
    destroyedAt: row.destroyed_at ?? undefined,
  };
}

/** A row of the `versions` statement. */
export function versionInfoFromRow(
  row: Pick<SecretVersionRow, 'version' | 'key_version' | 'created_at' | 'deleted_at' | 'destroyed_at'>,
): VersionInfo {
  return {
    version: row.version,
    keyVersion: row.key_version,
    createdAt: row.created_at,
    deletedAt: row.deleted_at ?? undefined,
    destroyedAt: row.destroyed_at ?? undefined,
  };
}

/** The columns of one version beside its secret's, as the read join names them. */
export const READ_COLUMNS = `s.id, s.name, s.current_version, s.created_at, s.updated_at, s.expires_at,
  s.max_versions, s.cas_required, s.delete_version_after_seconds, s.custom_metadata,
  v.version as v_version, v.ciphertext as v_ciphertext, v.wrapped_key as v_wrapped_key,
  v.key_version as v_key_version, v.created_at as v_created_at,
  v.deleted_at as v_deleted_at, v.destroyed_at as v_destroyed_at`;

export interface ReadRow extends SecretRow {
  v_version: number;
  v_ciphertext: Buffer;
  v_wrapped_key: Buffer;
  v_key_version: number;
  v_created_at: number;
  v_deleted_at: number | null;
  v_destroyed_at: number | null;
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
      deletedAt: row.v_deleted_at ?? undefined,
      destroyedAt: row.v_destroyed_at ?? undefined,
    },
  };
}
