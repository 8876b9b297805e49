import { Type } from 'typebox';
import { MAX_WEBHOOK_URL } from '../../webhooks/webhook-target.js';
import { WEBHOOK_EVENTS } from '../../webhooks/webhook-types.js';
import { DateTime, Nullable, StringEnum } from './common-schemas.js';

const EventTypes = Type.Array(StringEnum([...WEBHOOK_EVENTS]), {
  minItems: 1,
  maxItems: WEBHOOK_EVENTS.length,
  uniqueItems: true,
});

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: MAX_WEBHOOK_URL,
      description:
        'https:// (http:// too when HUSH_WEBHOOK_ALLOW_PRIVATE=true); must resolve to a public address',
      example: 'https://hooks.example.com/hush',
    }),
    events: Type.Optional({ ...EventTypes, description: 'Default: all four' }),
    all_accounts: Type.Optional(Type.Boolean({ description: "Every account's events (admins only)" })),
  },
  { additionalProperties: false },
);

export const WebhookParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const WebhooksQuery = Type.Object(
  { all: Type.Optional(Type.Boolean({ description: "Every account's endpoints (admins only)" })) },
  { additionalProperties: false },
);

const Counts = Type.Object({ pending: Type.Integer(), delivered: Type.Integer(), failed: Type.Integer() });

export const WebhookResponse = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: EventTypes,
  all_accounts: Type.Boolean(),
  owner: Type.Object({ kind: Type.String(), id: Type.String() }),
  created_at: DateTime,
  deliveries: Counts,
});

export const NewWebhookResponse = Type.Object({
  ...WebhookResponse.properties,
  secret: Type.String({ description: 'whsec_…: the signing secret, shown only now', example: null }),
});

export const WebhooksResponse = Type.Object({ webhooks: Type.Array(WebhookResponse) });

export const DeliveriesResponse = Type.Object({
  deliveries: Type.Array(
    Type.Object({
      id: Type.String({ description: 'The webhook-id header of every attempt' }),
      event_type: Type.String(),
      status: StringEnum(['pending', 'delivered', 'failed']),
      attempts: Type.Integer(),
      last_status_code: Nullable(Type.Integer()),
      last_error: Nullable(Type.String()),
      next_attempt_at: Nullable(DateTime),
      delivered_at: Nullable(DateTime),
      created_at: DateTime,
    }),
  ),
});
