import { Type } from 'typebox';
import { MAX_EVENTS_OFFSET } from '../../audit/audit-service.js';
import { ACTOR_KINDS, EVENT_TYPES, SUBJECT_KINDS } from '../../audit/audit-types.js';
import { DateTime, Nullable } from './common-schemas.js';

/** Paging for event lists; (page - 1) * page_size may not pass MAX_EVENTS_OFFSET (audit service). */
export const PageQuery = {
  page: Type.Integer({ minimum: 1, maximum: MAX_EVENTS_OFFSET + 1, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};

const Id = Type.String({ minLength: 1, maxLength: 256 });

export const EventsQuery = Type.Object(
  {
    ...PageQuery,
    type: Type.Optional(
      Type.String({
        pattern: '^([a-z_]+\\.([a-z_]+)?|[A-Z_]+)$',
        maxLength: 64,
        description:
          'An exact type (share.viewed), a family ending with a dot (share.), or an old upper-case name (READ)',
      }),
    ),
    actor: Type.Optional({ ...Id, description: "The actor's id or name" }),
    actor_kind: Type.Optional(Type.String({ enum: [...ACTOR_KINDS] })),
    subject_kind: Type.Optional(Type.String({ enum: [...SUBJECT_KINDS] })),
    subject: Type.Optional({ ...Id, description: "The subject's id" }),
    since: Type.Optional(DateTime),
    until: Type.Optional(DateTime),
    after: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'Cursor: events whose seq is greater, oldest first (page must be 1); continue from next_after',
      }),
    ),
  },
  { additionalProperties: false },
);

const Data = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  {
    description: 'Context of the event (reasons, names, counts); never a value, passphrase or token',
  },
);

export const EventResponse = Type.Object({
  id: Type.String(),
  seq: Type.Integer({ description: 'Grows with every event, on every node' }),
  type: Type.String({ enum: [...EVENT_TYPES] }),
  actor: Type.Object({
    kind: Type.String({ enum: [...ACTOR_KINDS] }),
    id: Nullable(Type.String()),
    name: Nullable(Type.String()),
  }),
  subject: Nullable(Type.Object({ kind: Type.String({ enum: [...SUBJECT_KINDS] }), id: Type.String() })),
  data: Data,
  client_ip: Nullable(Type.String()),
  user_agent: Nullable(Type.String()),
  request_id: Nullable(Type.String()),
  created_at: DateTime,
});

export const EventsResponse = Type.Object({
  total: Type.Optional(
    Type.Integer({ description: 'Events matching the filter (pages only, not the cursor)' }),
  ),
  page: Type.Integer(),
  page_size: Type.Integer(),
  next_after: Nullable(
    Type.Integer({
      description:
        'With `after`: the cursor to continue from (it may pass events that did not match the filter)',
    }),
  ),
  events: Type.Array(EventResponse),
});
