import type { KvMetadata, KvRead, KvVersionState, KvWritten } from '../../../secrets/kv-types.js';

const iso = (date: Date | undefined) => date?.toISOString() ?? null;

const versionFields = (v: KvVersionState) => ({
  version: v.version,
  created_at: v.createdAt.toISOString(),
  deleted_at: iso(v.deletedAt),
  destroyed: v.destroyed,
});

/** The KV routes' bodies, field by field from the service's types (the schemas allow only these). */
export const toKvRead = (read: KvRead) => ({
  id: read.id,
  name: read.name,
  data: read.data,
  metadata: read.metadata,
  ...versionFields(read.version),
  custom_metadata: read.customMetadata,
  expires_at: iso(read.expiresAt),
});

export const toKvWritten = (written: KvWritten) => ({
  id: written.id,
  name: written.name,
  version: written.version.version,
  created_at: written.version.createdAt.toISOString(),
  created: written.created,
  expires_at: iso(written.expiresAt),
});

export const toKvMetadata = (metadata: KvMetadata) => ({
  id: metadata.id,
  name: metadata.name,
  current_version: metadata.currentVersion,
  oldest_version: metadata.oldestVersion,
  created_at: metadata.createdAt.toISOString(),
  updated_at: metadata.updatedAt.toISOString(),
  expires_at: iso(metadata.expiresAt),
  max_versions: metadata.maxVersions,
  cas_required: metadata.casRequired,
  delete_version_after_seconds: metadata.deleteVersionAfterSeconds,
  custom_metadata: metadata.customMetadata,
  versions: metadata.versions.map(versionFields),
});
