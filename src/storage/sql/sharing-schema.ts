import type { Generated } from 'kysely';

/** The tables of shares' files (0015) and of secret requests (0016); see schema.ts for the rest. */

/** A share's stored file bytes (0015): declared while parts arrive, then attached to one share. */
export interface UploadsTable {
  id: string;
  /** SHA-256 of the upload key the uploader holds. */
  key_hash: string;
  /** Total stored bytes, as declared when the upload was opened. */
  bytes: number;
  part_count: number;
  /** 'open' (taking parts), 'attached' (to share_id), 'released' (its last view claimed: grants only). */
  state: string;
  share_id: string | null;
  /** The upload key sealed under the share's content key, set by the attach. */
  key_wrap: Buffer | null;
  created_at: number;
  /** Until when an open upload takes parts and may be attached; the sweeper erases it after. */
  expires_at: number;
}

/** One part of an upload: its bytes in `data`, or in the file `blob` names (HUSH_BLOB_DIR). */
export interface UploadPartsTable {
  upload_id: string;
  n: number;
  bytes: number;
  data: Buffer | null;
  blob: string | null;
}

/** A view's single-use right to download its share's bytes. */
export interface DownloadGrantsTable {
  /** SHA-256 of the download key. */
  key_hash: string;
  upload_id: string;
  /** The grant must be started before this time. */
  expires_at: number;
  started_at: number | null;
  finished_at: number | null;
}

/** Secret requests (0016): note and answer sealed by the service; keys stored as hashes. */
export interface SecretRequestsTable {
  id: string;
  request_hash: string;
  respond_hash: string;
  note: Buffer | null;
  answer: Buffer | null;
  state: Generated<string>;
  owner_kind: string | null;
  owner_id: string | null;
  created_at: number;
  expires_at: number;
  answered_at: number | null;
  ended_at: number | null;
}
