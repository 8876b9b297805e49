/**
 * The stored bytes of shares' files: uploads taking parts, then attached to one share (by the share
 * store's create), and the single-use download grants a view's claim makes (by the share store's
 * claim). What ends a share (burn, expiry, a burning failed attempt) erases its upload in the share
 * store's own step; this store holds the rest of the life of the bytes.
 */
/** A download started this long ago counts as ended even unfinished: its node died mid-stream. */
export const STALE_DOWNLOAD_MS = 6 * 3_600_000;

export interface NewUpload {
  readonly id: string;
  /** SHA-256 (hex) of the upload key its uploader holds. */
  readonly keyHash: string;
  /** Total stored bytes, declared up front. */
  readonly bytes: number;
  /** Parts of `partBytes`, the last one shorter (at least one part). */
  readonly partCount: number;
  readonly createdAt: number;
  /** Until when it takes parts and may be attached; the sweeper erases it once this has passed. */
  readonly expiresAt: number;
}

export interface UploadRecord extends NewUpload {
  readonly state: 'open' | 'attached' | 'released';
}

/** An upload a share is created with: the create attaches it, or fails as a whole. */
export interface UploadAttachment {
  readonly id: string;
  readonly keyHash: string;
}

/** The download grant a view's claim may make (when its share has files). */
export interface NewDownloadGrant {
  /** SHA-256 (hex) of the download key the viewer is given. */
  readonly keyHash: string;
  /** The grant must be started before this time. */
  readonly expiresAt: number;
}

/** A granted download, as the claim reports it. */
export interface DownloadGrant {
  readonly bytes: number;
  readonly expiresAt: number;
}

/** A started download: what to stream. */
export interface StartedDownload {
  readonly uploadId: string;
  readonly bytes: number;
  readonly partCount: number;
}

export interface FileStore {
  createUpload(upload: NewUpload): Promise<void>;

  /** The upload behind `id` if `keyHash` is its key's; any state. */
  findUpload(id: string, keyHash: string): Promise<UploadRecord | undefined>;

  /**
   * Stores part `n` of an upload, replacing an earlier copy (a retry). Guarantee: the part is
   * stored only while the upload is open (key matching, not attached, not expired) at the moment
   * it is written: once an attach has succeeded, no part of that upload changes. Once this
   * resolves true, the part is durable (a crash of the process loses no acknowledged part).
   */
  putPart(id: string, keyHash: string, n: number, data: Buffer, now: number): Promise<boolean>;

  /**
   * Starts the download of grant `keyHash`. Guarantee: under any number of concurrent calls from
   * any number of processes, at most one caller ever receives a grant's download (a started grant
   * never starts again); unknown, lapsed (not started by its expiry) or erased: undefined.
   */
  startDownload(keyHash: string, now: number): Promise<StartedDownload | undefined>;

  /** Part `n` of an upload whose bytes are still stored; undefined once they are erased. */
  readPart(uploadId: string, n: number): Promise<Buffer | undefined>;

  /**
   * Ends a started download (completed or broken). In the same step, erases the upload's bytes
   * when no pending share holds them any more and no other grant may still use them (one not
   * started and not lapsed, or started and not ended). Returns whether it erased them.
   */
  finishDownload(keyHash: string, now: number): Promise<boolean>;

  /**
   * Redis mode, right after Redis granted a view of share `shareId`: makes that view's grant when
   * the share has files, and releases them from the share when it was the last view (see
   * docs/files.md: here the claim and the grant are two steps).
   */
  grantAfterClaim(
    shareId: string,
    grant: NewDownloadGrant,
    last: boolean,
  ): Promise<DownloadGrant | undefined>;

  /** Redis mode: erases the bytes of share `shareId` after Redis ended it (burn by attempts). */
  eraseForShare(shareId: string): Promise<void>;

  /**
   * The sweeper's pass over files, up to `limit` uploads: erases uploads left unattached past
   * their expiry, attached ones whose share record is gone, and released ones that no grant may
   * use any more (grants started `staleStartMs` ago count as ended: a node died mid-stream).
   * Deletes lapsed and ended grants. Returns the count of uploads erased.
   */
  sweepBatch(now: number, limit: number, staleStartMs: number): Promise<number>;

  /**
   * HUSH_BLOB_DIR: removes files that no part row names (a crash between writing a file and its
   * row, or between a row's erase and its unlink), when older than `olderThanMs`. Returns the count.
   */
  sweepOrphans(olderThanMs: number): Promise<number>;
}
