import type { AuditEvent, EventFilter, EventPage } from '../audit/audit-types.js';

/** Append-only audit log storage. */
export interface EventStore {
  append(events: readonly AuditEvent[]): Promise<void>;
  /** Newest first; `offset`/`limit` page through the filtered set. */
  list(filter: EventFilter, offset: number, limit: number): Promise<EventPage>;
  /** Oldest first: the timeline of one share. */
  listForShare(shareId: string, limit: number): Promise<AuditEvent[]>;
}
