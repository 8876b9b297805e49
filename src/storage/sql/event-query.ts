import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { AuditEvent, EventFilter, EventPage, Subject } from '../../audit/audit-types.js';
import type { EventsAfter } from '../event-store.js';
import { eventFromRow } from './event-rows.js';
import type { SqlSchema } from './schema.js';

/**
 * A type family (`share.`) compared character for character: a range (`>= 'share.' and <
 * 'share/'`) would follow the column's collation, and one that ignores punctuation (ICU's
 * shifted, glibc's) puts `share.created` past `share/`. No index serves the prefix; an exact type
 * still uses the (type, created_at) one. Length in code points, as both dialects count characters.
 */
const charCount = (text: string) => [...text].length;

/** The audit-log filter as WHERE clauses; both SQL backends list events with it. */
export function filterEvents<O>(
  query: SelectQueryBuilder<SqlSchema, 'events', O>,
  filter: EventFilter,
): SelectQueryBuilder<SqlSchema, 'events', O> {
  let q = query;
  const type = filter.type;
  if (type?.endsWith('.')) {
    q = q.where((eb) => eb(eb.fn('substr', ['type', eb.lit(1), eb.lit(charCount(type))]), '=', type));
  } else if (type) q = q.where('type', '=', type);
  const actor = filter.actor;
  if (actor !== undefined)
    q = q.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_name', '=', actor)]));
  if (filter.actorKind) q = q.where('actor_kind', '=', filter.actorKind);
  if (filter.subjectKind) q = q.where('subject_kind', '=', filter.subjectKind);
  if (filter.subject !== undefined) q = q.where('subject_id', '=', filter.subject);
  if (filter.since) q = q.where('created_at', '>=', filter.since.getTime());
  if (filter.until) q = q.where('created_at', '<=', filter.until.getTime());
  return q;
}

/** One page of the filtered audit log, newest first (the same query on both SQL backends). */
export async function listEvents(
  db: Kysely<SqlSchema>,
  filter: EventFilter,
  offset: number,
  limit: number,
): Promise<EventPage> {
  const count = await filterEvents(db.selectFrom('events'), filter)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await filterEvents(db.selectFrom('events').selectAll(), filter)
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { total: Number(count.total), events: rows.map(eventFromRow) };
}

/**
 * The cursor read once the store has its horizon (see EventStore.after): filtered events with a
 * seq greater than the cursor and at most the horizon, oldest first, along the primary key. When
 * fewer than `limit` match, the read covered the whole range, so `next` is the horizon: a narrow
 * filter still moves on.
 */
export async function eventsAfter(
  db: Kysely<SqlSchema>,
  seq: number,
  limit: number,
  filter: EventFilter,
  horizon: number,
): Promise<EventsAfter> {
  if (horizon <= seq) return { events: [], next: seq };
  const rows = await filterEvents(db.selectFrom('events').selectAll(), filter)
    .where('seq', '>', seq)
    .where('seq', '<=', horizon)
    .orderBy('seq')
    .limit(limit)
    .execute();
  const events = rows.map(eventFromRow);
  const last = events.at(-1)?.seq;
  return { events, next: events.length === limit && last !== undefined ? last : horizon };
}

/**
 * A subject's events in time order (seq orders those of one millisecond), found along the
 * (subject_kind, subject_id, seq) index; a subject has few, so the sort is cheap.
 */
export async function eventsForSubject(
  db: Kysely<SqlSchema>,
  subject: Subject,
  limit: number,
): Promise<AuditEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('subject_kind', '=', subject.kind)
    .where('subject_id', '=', subject.id)
    .orderBy('created_at')
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(eventFromRow);
}
