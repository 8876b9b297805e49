import { HushError } from '../errors/hush-error.js';
import type { SecretRecord, VersionInfo, VersionLife } from '../storage/secret-store.js';
import type { KvMetadata, KvVersionState } from './kv-types.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/**
 * A version's state as KV v2 reports it. `delete_version_after` is a rule applied here, on every
 * read, rather than a sweep: a version is deleted from `createdAt` + that long, or from when it was
 * soft-deleted, whichever comes first. So changing the setting changes every version's deadline at
 * once (0 lifts it), and undelete cannot keep a version the rule deletes.
 */
export function versionState(
  secret: Pick<SecretRecord, 'deleteVersionAfterSeconds'>,
  version: VersionLife & { readonly version: number; readonly createdAt: number },
): KvVersionState {
  const after = secret.deleteVersionAfterSeconds;
  const scheduled = after > 0 ? version.createdAt + after * 1000 : undefined;
  const deletedAt =
    version.deletedAt === undefined || scheduled === undefined
      ? (version.deletedAt ?? scheduled)
      : Math.min(version.deletedAt, scheduled);
  return {
    version: version.version,
    createdAt: new Date(version.createdAt),
    deletedAt: date(deletedAt),
    destroyed: version.destroyedAt !== undefined,
  };
}

/** Whether a version is deleted at `now` (its deadline may still be ahead). */
export const isDeleted = (state: KvVersionState, now: number) =>
  state.deletedAt !== undefined && state.deletedAt.getTime() <= now;

/** version_destroyed or version_deleted when the version cannot be read at `now`. */
export function requireReadable(state: KvVersionState, now: number): void {
  if (state.destroyed) throw new HushError('version_destroyed');
  if (isDeleted(state, now)) throw new HushError('version_deleted');
}

export function metadataOf(secret: SecretRecord, versions: readonly VersionInfo[]): KvMetadata {
  return {
    id: secret.id,
    name: secret.name,
    currentVersion: secret.currentVersion,
    oldestVersion: versions[0]?.version ?? 0,
    createdAt: new Date(secret.createdAt),
    updatedAt: new Date(secret.updatedAt),
    expiresAt: date(secret.expiresAt),
    maxVersions: secret.maxVersions,
    casRequired: secret.casRequired,
    deleteVersionAfterSeconds: secret.deleteVersionAfterSeconds,
    customMetadata: secret.customMetadata,
    versions: versions.map((v) => versionState(secret, v)),
  };
}
