import type { AuditEvent, EventFilter, EventPage } from '../audit/audit-types.js';

/** Audit log storage: append-only, except that events past their retention are purged. */
export interface EventStore {
  append(events: readonly AuditEvent[]): Promise<void>;
  /** Newest first; `offset`/`limit` page through the filtered set. */
  list(filter: EventFilter, offset: number, limit: number): Promise<EventPage>;
  /** Oldest first: the timeline of one share. */
  listForShare(shareId: string, limit: number): Promise<AuditEvent[]>;
  /**
   * Deletes up to `limit` events created before `before` (epoch milliseconds), oldest first, in
   * one short write; returns how many it deleted. Call again until it returns less than `limit`.
   */
  purgeBefore(before: number, limit: number): Promise<number>;
}
