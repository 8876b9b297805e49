import { randomUUID } from 'node:crypto';
import { HushError } from '../errors/hush-error.js';
import type { EventStore } from '../storage/event-store.js';
import type { AuditEvent, EventFilter, EventPage, NewAuditEvent } from './audit-types.js';

/** User agents are attacker-chosen; keep what is useful for an audit and no more. */
const MAX_USER_AGENT = 512;

/** Deep pages cost an OFFSET scan of every row before them, run synchronously: bound the skip. */
export const MAX_EVENTS_OFFSET = 100_000;

export interface AuditServiceDeps {
  readonly events: EventStore;
  readonly now?: () => Date;
  /** Called for each recorded event (metrics). */
  readonly onRecord?: (event: AuditEvent) => void;
  /** Called when recordAfter could not write its events (logged and counted by the caller). */
  readonly onRecordError?: (error: unknown, events: readonly AuditEvent[]) => void;
}

export interface AuditService {
  record(event: NewAuditEvent): Promise<void>;
  /**
   * Builds an event (id, time) for a store that records it in the same atomic step as the change
   * it describes; report it with `stored` once that step succeeded.
   */
  prepare(event: NewAuditEvent): AuditEvent;
  /** Events a store has recorded with its change (see `prepare`). */
  stored(events: readonly AuditEvent[]): void;
  recordMany(events: readonly NewAuditEvent[]): Promise<void>;
  /**
   * Records a change that already happened and cannot be repeated (a view spent, a share burned or
   * expired). Never rejects: answering 503 now would make the caller retry into a 404 after a reveal
   * that spent the last view, losing the secret. A failed write goes to onRecordError instead.
   */
  recordAfter(events: readonly NewAuditEvent[]): Promise<void>;
  /** One page, newest first; rejects with bad_request when it starts past MAX_EVENTS_OFFSET. */
  list(filter: EventFilter, page: number, pageSize: number): Promise<EventPage>;
  timeline(shareId: string): Promise<AuditEvent[]>;
  /** Deletes up to `limit` events older than `before` (retention); returns how many. */
  purgeBefore(before: Date, limit: number): Promise<number>;
}

export function createAuditService(deps: AuditServiceDeps): AuditService {
  const now = deps.now ?? (() => new Date());

  const build = (event: NewAuditEvent, at: Date): AuditEvent => ({
    id: randomUUID(),
    type: event.type,
    shareId: event.shareId,
    clientIp: event.client?.ip,
    userAgent: event.client?.userAgent?.slice(0, MAX_USER_AGENT),
    detail: event.detail,
    actor: event.actor,
    createdAt: at,
  });

  const append = async (built: readonly AuditEvent[]) => {
    await deps.events.append(built);
    for (const event of built) deps.onRecord?.(event);
  };

  const recordMany = (events: readonly NewAuditEvent[]) => {
    const at = now();
    return append(events.map((event) => build(event, at)));
  };

  return {
    record: (event) => recordMany([event]),
    prepare: (event) => build(event, now()),
    stored(events) {
      for (const event of events) deps.onRecord?.(event);
    },
    recordMany,
    async recordAfter(events) {
      const at = now();
      const built = events.map((event) => build(event, at));
      await append(built).catch((error: unknown) => deps.onRecordError?.(error, built));
    },
    async list(filter, page, pageSize) {
      const offset = (page - 1) * pageSize;
      if (offset > MAX_EVENTS_OFFSET) {
        throw new HushError('bad_request', `(page - 1) * page_size may not exceed ${MAX_EVENTS_OFFSET}.`);
      }
      return deps.events.list(filter, offset, pageSize);
    },
    // A share has at most 1 + 100 views + 100 failed attempts + 1 end event: the whole story fits.
    timeline: (shareId) => deps.events.listForShare(shareId, 250),
    purgeBefore: (before, limit) => deps.events.purgeBefore(before.getTime(), limit),
  };
}
