import type { Redis } from 'ioredis';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { EventStore, OutboxDrained } from '../event-store.js';
import { type EventRow, eventFromRow, eventToRow } from '../sql/event-rows.js';
import { defineScripts } from './redis-scripts.js';

/** Events moved per round: one LRANGE, one SQL insert, one removal. */
const DRAIN_BATCH = 500;

/**
 * The audit events of share changes made in Redis. A share script pushes them onto this list in
 * the same atomic step as the change; they are then moved, oldest first, into the SQL events
 * table, which assigns their seq. A move is idempotent: SQL skips an event id it already has, and
 * only what was stored is removed from the list, so a crash between the two moves nothing twice.
 */
export interface RedisEventOutbox {
  /** The list's key, for the share scripts' KEYS. */
  readonly key: string;
  /** An event as the list holds it. */
  encode(event: AuditEvent): string;
  /**
   * Moves everything pushed before the call into SQL; returns how many this call moved, and how
   * many of those were created before `staleBefore` (none when not given). Calls on one node share
   * one mover; one made while it runs waits for the next round, so it always covers what its
   * caller pushed.
   */
  drain(staleBefore?: number): Promise<OutboxDrained>;
}

export function createRedisEventOutbox(options: {
  readonly redis: Redis;
  readonly keyPrefix: string;
  readonly events: Pick<EventStore, 'append'>;
}): RedisEventOutbox {
  const { redis } = options;
  const key = `${options.keyPrefix}events:outbox`;
  const run = defineScripts(redis);

  const decode = (text: string): AuditEvent => ({
    ...eventFromRow({ ...(JSON.parse(text) as EventRow), seq: 0 }),
    seq: undefined,
  });

  /** Resolves to the creation times (epoch ms) of the events it moved. */
  const moveAll = async () => {
    const moved: number[] = [];
    for (;;) {
      const items = await redis.lrange(key, 0, DRAIN_BATCH - 1);
      if (items.length === 0) return moved;
      const events = items.map(decode);
      await options.events.append(events);
      await run('hushOutboxRemove', [key], items);
      for (const event of events) moved.push(event.createdAt.getTime());
      if (items.length < DRAIN_BATCH) return moved;
    }
  };

  let current: Promise<number[]> | undefined;
  let next: Promise<number[]> | undefined;
  const round = (): Promise<number[]> => {
    if (!current) {
      current = moveAll().finally(() => {
        current = undefined;
      });
      return current;
    }
    next ??= current
      .catch(() => [])
      .then(() => {
        next = undefined;
        return round();
      });
    return next;
  };

  return {
    key,
    encode: (event) => JSON.stringify(eventToRow(event)),
    async drain(staleBefore = Number.NEGATIVE_INFINITY) {
      const moved = await round();
      return { moved: moved.length, stale: moved.filter((createdAt) => createdAt < staleBefore).length };
    },
  };
}

/** The SQL event store, with `drainOutbox` moving what the Redis outbox holds. */
export function withOutbox(events: EventStore, outbox: RedisEventOutbox): EventStore {
  return { ...events, drainOutbox: (staleBefore) => outbox.drain(staleBefore) };
}
