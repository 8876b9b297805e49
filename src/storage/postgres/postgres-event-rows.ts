import type { AuditEvent } from '../../audit/audit-types.js';
import { EVENT_COLUMNS, eventToRow } from '../sql/event-rows.js';

/**
 * Audit events written by a statement, most often another store's, in the same atomic step as the
 * change they record. They come in as one JSON parameter (one row per event, in order), each event
 * tagged with an `owner` (the id of the row it is about, or a label of the outcome it belongs to)
 * so that a batched statement keeps only the events of the rows it changed.
 */
export const EVENT_INSERT_COLUMNS = EVENT_COLUMNS.join(', ');

/** The select list of EVENT_INSERT_COLUMNS from the `e` of `eventsInput`. */
export const EVENT_VALUES = EVENT_COLUMNS.map((c) => `e.${c}`).join(', ');

/**
 * The events of JSON parameter `$n` as rows `e(owner, <columns>, ord)`; ordering by `e.ord` keeps
 * their order, so seq follows it. (WITH ORDINALITY cannot take a column definition list itself.)
 */
export const eventsInput = (n: number) =>
  `rows from (jsonb_to_recordset($${n}::jsonb) as (owner text, ${EVENT_COLUMNS.map(
    (c) => `${c} ${c === 'created_at' ? 'bigint' : 'text'}`,
  ).join(', ')})) with ordinality as e(owner, ${EVENT_INSERT_COLUMNS}, ord)`;

/** `insert into events … select … from <events of $n> <join>`: the join keeps the events to store. */
export const insertEvents = (n: number, join = '') =>
  `insert into events (${EVENT_INSERT_COLUMNS})
    select ${EVENT_VALUES} from ${eventsInput(n)} ${join} order by e.ord
    on conflict (id) do nothing`;

/** The one parameter of `eventsInput` for pairs of (owner, event). */
export const eventParams = (owned: readonly (readonly [string, AuditEvent])[]): [string] => [
  JSON.stringify(owned.map(([owner, event]) => ({ owner, ...eventToRow(event) }))),
];

/** Every event owned by `owner`. */
export const ownedBy = (owner: string, events: readonly AuditEvent[]) =>
  events.map((event) => [owner, event] as const);
