import { Type } from 'typebox';
import { MAX_EVENTS_OFFSET } from '../../audit/audit-service.js';
import { EVENT_TYPES } from '../../audit/audit-types.js';
import { DateTime, Nullable } from './common-schemas.js';

const EventTypeSchema = Type.Enum(EVENT_TYPES);

/** Paging for event lists; (page - 1) * page_size may not pass MAX_EVENTS_OFFSET (audit service). */
export const PageQuery = {
  page: Type.Integer({ minimum: 1, maximum: MAX_EVENTS_OFFSET + 1, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};

export const EventsQuery = Type.Object(
  {
    ...PageQuery,
    type: Type.Optional(EventTypeSchema),
    since: Type.Optional(DateTime),
    until: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

export const EventResponse = Type.Object({
  id: Type.String(),
  type: EventTypeSchema,
  share_id: Nullable(Type.String()),
  client_ip: Nullable(Type.String()),
  user_agent: Nullable(Type.String()),
  detail: Nullable(Type.String()),
  actor: Nullable(Type.String()),
  created_at: DateTime,
});

export const EventsResponse = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  page_size: Type.Integer(),
  events: Type.Array(EventResponse),
});
