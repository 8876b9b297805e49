import { HushError } from '../../../errors/hush-error.js';
import type { KvMetadata, KvVersionState } from '../../../secrets/kv-types.js';
import { goDuration } from './vault-duration.js';

/** Vault writes times as RFC 3339 and "no time" as an empty string (ptypesTimestampToString). */
const time = (at: Date | undefined) => (at ? at.toISOString() : '');

/** Vault answers `null` for custom metadata never set, not `{}`. */
const customOf = (labels: Readonly<Record<string, string>>) =>
  Object.keys(labels).length > 0 ? { ...labels } : null;

/** One version's metadata as KV v2 answers it in a read, a write and a deleted-version 404. */
export function versionMeta(state: KvVersionState, customMetadata: Readonly<Record<string, string>>) {
  return {
    created_time: time(state.createdAt),
    custom_metadata: customOf(customMetadata),
    deletion_time: time(state.deletedAt),
    destroyed: state.destroyed,
    version: state.version,
  };
}

/** A secret's metadata as KV v2's metadata read answers it (path_metadata.go metadataResponseData). */
export function metadataData(meta: KvMetadata) {
  return {
    cas_required: meta.casRequired,
    created_time: time(meta.createdAt),
    current_version: meta.currentVersion,
    custom_metadata: customOf(meta.customMetadata),
    delete_version_after: goDuration(meta.deleteVersionAfterSeconds),
    max_versions: meta.maxVersions,
    oldest_version: meta.oldestVersion,
    updated_time: time(meta.updatedAt),
    versions: Object.fromEntries(
      meta.versions.map((state) => [
        String(state.version),
        {
          created_time: time(state.createdAt),
          deletion_time: time(state.deletedAt),
          destroyed: state.destroyed,
        },
      ]),
    ),
  };
}

/** Vault's PATCH takes only a JSON merge patch; anything else is its 415. */
export function requireMergePatch(isPatch: boolean): void {
  if (!isPatch) {
    throw new HushError(
      'unsupported_media_type',
      'PATCH requires Content-Type: application/merge-patch+json.',
    );
  }
}
