import type { AuditEvent } from '../audit/audit-types.js';
import type { RequestOwner, RequestState } from '../shares/request-types.js';

/** A secret request as stored: the note and answer are sealed, keys are hashes. */
export interface RequestRecord {
  readonly id: string;
  /** Hash of the requester's key (status, reveal, burn). */
  readonly requestHash: string;
  /** Hash of the responder's key (note, answer). */
  readonly respondHash: string;
  /** The note, sealed with a key derived from the master key; kept until the record is purged. */
  readonly note: Buffer | undefined;
  /** The responder's envelope, sealed again at rest; present only while `answered`. */
  readonly answer: Buffer | undefined;
  /** As stored: an `open` or `answered` record past `expiresAt` is expired for every reader. */
  readonly state: RequestState;
  readonly owner: RequestOwner | undefined;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly answeredAt: number | undefined;
  readonly endedAt: number | undefined;
}

export type NewRequestRecord = Pick<
  RequestRecord,
  'id' | 'requestHash' | 'respondHash' | 'note' | 'owner' | 'createdAt' | 'expiresAt'
>;

/**
 * What the request service needs from storage (always SQL, also in Redis mode). Every method that
 * changes a request is one atomic operation that stores its audit events in the same step: both or
 * neither. Guarantees hold across any number of processes sharing the database.
 */
export interface RequestStore {
  create(record: NewRequestRecord, events: readonly AuditEvent[]): Promise<void>;

  /** The request behind a respond-key hash while it is `open` and not expired at `now`. */
  findOpen(respondHash: string, now: number): Promise<RequestRecord | undefined>;

  /** The request behind a request-key hash in any state, while its record is retained. */
  findByKey(requestHash: string): Promise<RequestRecord | undefined>;

  /**
   * Stores the answer. Guarantee: of any number of concurrent calls for one request, exactly one
   * (the first) succeeds while it is open and not expired at `now`, with `events`; every other call,
   * and every later one, returns false and stores nothing.
   */
  answer(id: string, answer: Buffer, now: number, events: readonly AuditEvent[]): Promise<boolean>;

  /**
   * Claims the answer. Guarantee: of any number of concurrent calls, exactly one receives the
   * answer of an `answered`, unexpired request, and the same step erases it and marks the request
   * `revealed` (with `events`); the others get undefined.
   */
  reveal(id: string, now: number, events: readonly AuditEvent[]): Promise<Buffer | undefined>;

  /**
   * Ends an open or answered, unexpired request and erases its answer. Guarantee: exactly
   * one of concurrent burns and reveals wins; false (and no events) when it was no longer live.
   */
  burn(id: string, now: number, events: readonly AuditEvent[]): Promise<boolean>;

  /**
   * Marks up to `limit` open or answered requests past their time expired, erasing the answer, and stores `eventsFor(ids)` in the same step. Concurrent sweepers never return the same
   * id twice.
   */
  expireBatch(
    now: number,
    limit: number,
    eventsFor: (ids: readonly string[]) => readonly AuditEvent[],
  ): Promise<string[]>;

  /** Deletes up to `limit` ended records that ended before `endedBefore`; returns the count. */
  purgeBatch(endedBefore: number, limit: number): Promise<number>;

  /** The owners of those of `ids` that have one (webhook delivery). */
  ownersOf(ids: readonly string[]): Promise<ReadonlyMap<string, RequestOwner>>;
}
