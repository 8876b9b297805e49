import type { AuditService } from '../audit/audit-service.js';
import type { AuditEvent } from '../audit/audit-types.js';
import type { RequestStore } from '../storage/request-store.js';

/** The sweeper's steps for secret requests: each returns how many it handled in one short write. */
export interface RequestSweep {
  /** Open and answered requests past their time: answer erased, one `request.expired` each. */
  expire(now: number, limit: number): Promise<number>;
  /** Ended records past the share retention period. */
  purge(endedBefore: number, limit: number): Promise<number>;
}

export function requestSweep(
  store: Pick<RequestStore, 'expireBatch' | 'purgeBatch'>,
  audit: AuditService,
): RequestSweep {
  return {
    async expire(now, limit) {
      // Each expiry and its event are stored in one step.
      let events: AuditEvent[] = [];
      const ids = await store.expireBatch(now, limit, (expired) => {
        events = expired.map((id) =>
          audit.prepare({ type: 'request.expired', subject: { kind: 'request', id } }),
        );
        return events;
      });
      audit.stored(events);
      return ids.length;
    },
    purge: (endedBefore, limit) => store.purgeBatch(endedBefore, limit),
  };
}
