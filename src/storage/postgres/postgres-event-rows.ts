import type { AuditEvent } from '../../audit/audit-types.js';

/**
 * Audit events written by another store's statement, in the same atomic step as the change they
 * record: the rows come in as arrays, each event tagged with an `owner` (the id of the row it is
 * about) so a batched statement can keep only the events of the rows it changed.
 */
export const EVENT_COLUMNS = 'id, type, share_id, client_ip, user_agent, detail, actor, created_at';

/** The select list of EVENT_COLUMNS from the `e` of `eventsInput`. */
export const EVENT_VALUES = EVENT_COLUMNS.replace(/(\w+)/g, 'e.$1');

/** `unnest(…) as e(owner, <EVENT_COLUMNS>)` over nine array parameters starting at `$first`. */
export const eventsInput = (first: number) =>
  `unnest(${Array.from({ length: 9 }, (_, i) => `$${first + i}::${i === 8 ? 'bigint' : 'text'}[]`).join(', ')})
    as e(owner, ${EVENT_COLUMNS})`;

/** The nine array parameters of `eventsInput` for pairs of (owner, event). */
export const eventParams = (owned: readonly (readonly [string, AuditEvent])[]) => [
  owned.map(([owner]) => owner),
  owned.map(([, e]) => e.id),
  owned.map(([, e]) => e.type),
  owned.map(([, e]) => e.shareId ?? null),
  owned.map(([, e]) => e.clientIp ?? null),
  owned.map(([, e]) => e.userAgent ?? null),
  owned.map(([, e]) => e.detail ?? null),
  owned.map(([, e]) => e.actor ?? null),
  owned.map(([, e]) => e.createdAt.getTime()),
];

/** Every event owned by `owner`. */
export const ownedBy = (owner: string, events: readonly AuditEvent[]) =>
  events.map((event) => [owner, event] as const);
