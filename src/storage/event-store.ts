import type { AuditEvent, EventFilter, EventPage, Subject } from '../audit/audit-types.js';

/** One cursor read: the events, and the cursor to continue from. */
export interface EventsAfter {
  readonly events: AuditEvent[];
  /**
   * The seq to pass as the next cursor: the last event's if `limit` came back, else the horizon
   * (the read covered every event up to it, matching or not). Never less than the cursor read.
   */
  readonly next: number;
}

/**
 * Audit log storage: append-only, except that events past their retention are purged. Events of a
 * change are written by the store that makes the change, in the same atomic step; `append` is for
 * events that are the change themselves. Every stored event gets a `seq` greater than any before
 * it, on every node (never reused, not even after a purge).
 */
export interface EventStore {
  /** Appends events alone, in order, in one step; an event id already stored is skipped. */
  append(events: readonly AuditEvent[]): Promise<void>;
  /** Newest first; `offset`/`limit` page through the filtered set. */
  list(filter: EventFilter, offset: number, limit: number): Promise<EventPage>;
  /**
   * The cursor read: up to `limit` filtered events with a seq strictly greater than `seq`, oldest
   * first, none past the horizon: the greatest seq below which no event can still appear (SQLite:
   * every committed one; PostgreSQL hands seqs out at insert, not at commit, see its store). A
   * consumer that keeps `next` sees every event once, in seq order, and always moves on.
   */
  after(seq: number, limit: number, filter: EventFilter): Promise<EventsAfter>;
  /** Oldest first: the story of one subject (a share's timeline). */
  listForSubject(subject: Subject, limit: number): Promise<AuditEvent[]>;
  /**
   * Deletes up to `limit` events created before `before` (epoch milliseconds), oldest first, in
   * one short write; returns how many it deleted. Call again until it returns less than `limit`.
   */
  purgeBefore(before: number, limit: number): Promise<number>;
  /**
   * Moves events a backend held outside SQL (the Redis outbox, written in the same script as a
   * share's change) into the events table, oldest first. A change's own request moves its events
   * at once; a background job calls this for what a crash left behind, and tells those (created
   * before `staleBefore`) from the events of requests still in flight. Nothing to do on backends
   * without an outbox.
   */
  drainOutbox(staleBefore: number): Promise<OutboxDrained>;
}

/** What one move of the outbox did. */
export interface OutboxDrained {
  /** Events moved into the events table. */
  readonly moved: number;
  /** How many of them were created before the `staleBefore` the caller gave. */
  readonly stale: number;
}
