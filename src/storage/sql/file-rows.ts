import type { Selectable } from 'kysely';
import type { UploadRecord } from '../file-store.js';
import type { UploadsTable } from './sharing-schema.js';

/** An `uploads` row as both SQL drivers return it. */
export type UploadRow = Selectable<UploadsTable>;

export function uploadFromRow(row: UploadRow | undefined): UploadRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id,
    keyHash: row.key_hash,
    bytes: row.bytes,
    partCount: row.part_count,
    state: row.state as UploadRecord['state'],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
