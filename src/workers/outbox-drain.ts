import type { EventStore } from '../storage/event-store.js';
import type { Job } from './job-types.js';

export interface OutboxDrainDeps {
  readonly events: Pick<EventStore, 'drainOutbox'>;
  readonly intervalMs: number;
  /**
   * Called with how many of the events a tick moved were older than one interval: left behind by
   * a crash or an outage. Younger ones belong to requests still moving their own (the job races
   * them under normal load), which is no news.
   */
  readonly onLeftBehind?: (count: number) => void;
}

/**
 * Moves audit events that a share change left in the Redis outbox into the SQL event log. Each
 * request moves its own at once; this job is for what a crash or a SQL outage left behind, so the
 * log and its sequence cursor catch up within one interval. Moving is safe to repeat (event ids
 * are unique), the lock only spares the other nodes the work.
 */
export function createOutboxDrainJob(deps: OutboxDrainDeps): Job<number> {
  return {
    name: 'events-outbox',
    intervalMs: deps.intervalMs,
    async run() {
      const { moved, stale } = await deps.events.drainOutbox(Date.now() - deps.intervalMs);
      if (stale > 0) deps.onLeftBehind?.(stale);
      return moved;
    },
    skipped: () => 0,
  };
}
