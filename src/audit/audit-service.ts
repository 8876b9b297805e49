import { randomUUID } from 'node:crypto';
import type { EventStore } from '../storage/event-store.js';
import type { AuditEvent, EventFilter, EventPage, NewAuditEvent } from './audit-types.js';

/** User agents are attacker-chosen; keep what is useful for an audit and no more. */
const MAX_USER_AGENT = 512;

export interface AuditServiceDeps {
  readonly events: EventStore;
  readonly now?: () => Date;
  /** Called for each recorded event (metrics). */
  readonly onRecord?: (event: AuditEvent) => void;
}

export interface AuditService {
  record(event: NewAuditEvent): Promise<void>;
  recordMany(events: readonly NewAuditEvent[]): Promise<void>;
  list(filter: EventFilter, page: number, pageSize: number): Promise<EventPage>;
  timeline(shareId: string): Promise<AuditEvent[]>;
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
    createdAt: at,
  });

  const recordMany = async (events: readonly NewAuditEvent[]) => {
    const at = now();
    const built = events.map((event) => build(event, at));
    await deps.events.append(built);
    for (const event of built) deps.onRecord?.(event);
  };

  return {
    record: (event) => recordMany([event]),
    recordMany,
    list: (filter, page, pageSize) => deps.events.list(filter, (page - 1) * pageSize, pageSize),
    timeline: (shareId) => deps.events.listForShare(shareId, 200),
  };
}
