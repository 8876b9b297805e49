import type { AuditEvent } from '../audit/audit-types.js';
import type { EndReason, PassphraseScope, ShareState } from '../shares/share-types.js';
import type { DownloadGrant, NewDownloadGrant, UploadAttachment } from './file-store.js';

/** A share as stored: content is ciphertext, keys are hashes. Never serialized to clients. */
export interface ShareRecord {
  readonly id: string;
  readonly tokenHash: string;
  readonly receiptHash: string;
  readonly ciphertext: Buffer | undefined;
  readonly passphraseHash: string | undefined;
  readonly passphraseScope: PassphraseScope;
  /**
   * SHA-256 (hex) of the link verifier a client derived from its content key, when the share was
   * made by the page or the CLI; undefined for older shares and shares sent in the clear.
   */
  readonly keyCheckHash: string | undefined;
  readonly maxViews: number;
  readonly viewsUsed: number;
  readonly failedAttempts: number;
  readonly state: ShareState;
  readonly endReason: EndReason | undefined;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly endedAt: number | undefined;
}

export type NewShareRecord = Omit<
  ShareRecord,
  'viewsUsed' | 'failedAttempts' | 'state' | 'endReason' | 'endedAt' | 'keyCheckHash'
> & {
  readonly keyCheckHash?: string | undefined;
  /**
   * Undefined makes a content-free record whose content lives in another store (Redis): it backs
   * the receipt, and claims on it return nothing.
   */
  readonly ciphertext: Buffer | undefined;
  /**
   * The share's files: the create attaches this upload in its own step, or fails as a whole with
   * HushError('upload_incomplete') when it is not open, complete and this key's (FileStore).
   */
  readonly upload?: UploadAttachment | undefined;
};

export interface ClaimedView {
  readonly ciphertext: Buffer;
  readonly viewsLeft: number;
  /** The download grant the claim made, when the share has files and a grant was offered. */
  readonly download?: DownloadGrant | undefined;
}

/** The events of a failed attempt: `attempt` whenever it is counted, `burned` too when it burned. */
export interface AttemptEvents {
  readonly attempt: readonly AuditEvent[];
  readonly burned: readonly AuditEvent[];
}

export interface FailedAttemptResult {
  readonly attempts: number;
  /** True when this attempt reached the limit and burned the share. */
  readonly burned: boolean;
}

/**
 * Keeps content-free records in step with a share store that holds the content elsewhere (Redis)
 * and decides every claim and attempt there first. Mirrors of concurrent decisions can arrive out
 * of order, so they raise counters to the decided values rather than add to them, and end a record
 * only while it is still pending.
 */
export interface ShareRecordMirror {
  /** `viewsUsed` views were spent; once that reaches max_views, a pending record ends as consumed. */
  mirrorViews(id: string, viewsUsed: number, now: number): Promise<void>;
  /** `attempts` wrong passphrases were counted; `burned` ends a pending record (passphrase_attempts). */
  mirrorAttempts(id: string, attempts: number, burned: boolean, now: number): Promise<void>;
  /**
   * Deletes the pending content-free record `id`, with no events: its content never reached the
   * other store, so there was no share to audit (and none for a sweep to report expired).
   */
  discard(id: string): Promise<void>;
}

/**
 * What the share service needs from storage. Every method that changes a share is one atomic
 * operation in the store, and stores the change's audit events in that same operation: both or
 * neither. The service never reads and then writes.
 */
export interface ShareStore {
  create(record: NewShareRecord, events: readonly AuditEvent[]): Promise<void>;

  /** The share behind a token hash if it is pending and not expired at `now`; consumes nothing. */
  findLive(tokenHash: string, now: number): Promise<ShareRecord | undefined>;

  /** The share behind a receipt hash in any state, while its record is retained. */
  findByReceipt(receiptHash: string): Promise<ShareRecord | undefined>;

  /**
   * Claims one view. Guarantee: under any number of concurrent calls, from any number of
   * processes, at most `maxViews - viewsUsed` callers receive the ciphertext; the others get
   * undefined. Claiming the last view erases the content in the same operation. `events` are
   * stored with each granted claim, and only then: a claim whose events cannot be stored is not
   * granted (the view is still there). When the share has files, a granted claim stores `grant`
   * (a single-use download grant) in the same operation, and the last view's claim releases the
   * files from the share to the grants already made: no share key reaches them again.
   */
  claimView(
    id: string,
    now: number,
    events: readonly AuditEvent[],
    grant?: NewDownloadGrant,
  ): Promise<ClaimedView | undefined>;

  /**
   * Counts one wrong passphrase or wrong link key (one counter, one limit). Guarantee: attempts are
   * counted exactly once each; the caller whose attempt reaches `limit` burns the share (erasing
   * its content and files) and sees burned = true. Undefined (and no events) when the share is no longer live.
   */
  recordFailedAttempt(
    id: string,
    limit: number,
    now: number,
    events: AttemptEvents,
  ): Promise<FailedAttemptResult | undefined>;

  /**
   * Ends a live share and erases its content and files. Guarantee: exactly one of any concurrent calls
   * (and no later claim) succeeds, with `events`; returns false (and no events) when the share was
   * not live.
   */
  burn(id: string, reason: EndReason, now: number, events: readonly AuditEvent[]): Promise<boolean>;

  /**
   * Erases the content (and files) of up to `limit` shares whose time ran out and marks them expired, storing
   * the events `eventsFor(ids)` returns in the same step. Returns the ids it expired; concurrent
   * sweepers never return the same id twice.
   */
  expireBatch(
    now: number,
    limit: number,
    eventsFor: (ids: readonly string[]) => readonly AuditEvent[],
  ): Promise<string[]>;

  /** Deletes up to `limit` content-free records that ended before `endedBefore`; returns the count. */
  purgeBatch(endedBefore: number, limit: number): Promise<number>;
}
