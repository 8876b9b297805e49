import { HushError } from '../errors/hush-error.js';
import type { EventStore, EventsAfter } from '../storage/event-store.js';
import {
  ANONYMOUS,
  type AuditEvent,
  type EventFilter,
  type EventPage,
  type NewAuditEvent,
  SYSTEM,
} from './audit-types.js';
import { eventId } from './event-id.js';

/** User agents are attacker-chosen; keep what is useful for an audit and no more. */
const MAX_USER_AGENT = 512;
/** Request ids come from a header we echo; bound them like user agents. */
const MAX_REQUEST_ID = 128;

/** Deep pages cost an OFFSET scan of every row before them, run synchronously: bound the skip. */
export const MAX_EVENTS_OFFSET = 100_000;

export interface AuditServiceDeps {
  readonly events: EventStore;
  readonly now?: () => Date;
  /** Called for each event once it is stored (metrics). */
  readonly onRecord?: (event: AuditEvent) => void;
}

/**
 * One audit path: a service builds the events of a change with `prepare` and hands them to the
 * store method that makes the change, which stores both in one atomic step (or neither); once that
 * step succeeded, `stored` reports them. An event that is the change itself (a sign-in, a failed
 * one, a secret read) is appended alone with `record`: that is one atomic step too.
 */
export interface AuditService {
  /** Builds an event (id, time, actor) for a store to write with its change. */
  prepare(event: NewAuditEvent): AuditEvent;
  /** Events a store has written with its change (see `prepare`). */
  stored(events: readonly AuditEvent[]): void;
  /** Appends an event that is the change itself; rejects when it could not be stored. */
  record(event: NewAuditEvent): Promise<void>;
  /** One page, newest first; rejects with bad_request when it starts past MAX_EVENTS_OFFSET. */
  list(filter: EventFilter, page: number, pageSize: number): Promise<EventPage>;
  /**
   * The cursor read for consumers (webhook delivery, exporters): up to `limit` events whose seq is
   * strictly greater than `seq`, oldest first, and `next`. Start at 0; continue from `next`: that
   * sees every event once, also on PostgreSQL, where seqs may commit out of order (EventStore.after).
   */
  after(seq: number, limit: number, filter?: EventFilter): Promise<EventsAfter>;
  /** A share's events, oldest first. */
  timeline(shareId: string): Promise<AuditEvent[]>;
  /** Deletes up to `limit` events older than `before` (retention); returns how many. */
  purgeBefore(before: Date, limit: number): Promise<number>;
}

export function createAuditService(deps: AuditServiceDeps): AuditService {
  const now = deps.now ?? (() => new Date());

  const prepare = (event: NewAuditEvent): AuditEvent => {
    const createdAt = now();
    return {
      id: eventId(createdAt.getTime()),
      seq: undefined,
      type: event.type,
      actor: event.actor ?? (event.client ? ANONYMOUS : SYSTEM),
      subject: event.subject,
      data: event.data ?? {},
      clientIp: event.client?.ip,
      userAgent: event.client?.userAgent?.slice(0, MAX_USER_AGENT),
      requestId: event.client?.requestId?.slice(0, MAX_REQUEST_ID),
      createdAt,
    };
  };

  const stored = (events: readonly AuditEvent[]) => {
    for (const event of events) deps.onRecord?.(event);
  };

  return {
    prepare,
    stored,
    async record(event) {
      const built = [prepare(event)];
      await deps.events.append(built);
      stored(built);
    },
    async list(filter, page, pageSize) {
      const offset = (page - 1) * pageSize;
      if (offset > MAX_EVENTS_OFFSET) {
        throw new HushError('bad_request', `(page - 1) * page_size may not exceed ${MAX_EVENTS_OFFSET}.`);
      }
      return deps.events.list(filter, offset, pageSize);
    },
    after: (seq, limit, filter = {}) => deps.events.after(seq, limit, filter),
    // A share has at most 1 + 100 views + 100 failed attempts + 1 end event: the whole story fits.
    timeline: (shareId) => deps.events.listForSubject({ kind: 'share', id: shareId }, 250),
    purgeBefore: (before, limit) => deps.events.purgeBefore(before.getTime(), limit),
  };
}
