import type { Webhook } from '../../../webhooks/webhook-types.js';
import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  CreateWebhookBody,
  DeliveriesResponse,
  NewWebhookResponse,
  WebhookParams,
  WebhooksQuery,
  WebhooksResponse,
} from '../../schemas/webhook-schemas.js';

const tags = ['webhooks'];
const security = [{ bearer: [] }];

function toWebhookResponse(webhook: Webhook) {
  return {
    id: webhook.id,
    url: webhook.url,
    events: [...webhook.events],
    all_accounts: webhook.allAccounts,
    owner: { kind: webhook.owner.kind, id: webhook.owner.id },
    created_at: webhook.createdAt.toISOString(),
    deliveries: { ...webhook.deliveries },
  };
}

/** Webhook endpoints: a signed-in caller manages its own; admins every account's. */
export function webhookRoutes(app: TypedApp, { webhooks, auth }: SurfaceDeps): void {
  const signedIn = auth();
  const iso = (date: Date | undefined) => date?.toISOString() ?? null;

  app.post(
    '/webhooks',
    {
      onRequest: signedIn,
      schema: {
        tags,
        summary: 'Register a webhook endpoint; its secret is shown only in this answer',
        security,
        body: CreateWebhookBody,
        response: { 201: NewWebhookResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { url, events, all_accounts } = request.body;
      const created = await webhooks.create(
        principalOf(request),
        { url, events, allAccounts: all_accounts },
        clientInfo(request),
      );
      return reply.code(201).send({ ...toWebhookResponse(created), secret: created.secret });
    },
  );

  app.get(
    '/webhooks',
    {
      onRequest: signedIn,
      schema: {
        tags,
        summary: "Your webhook endpoints with their delivery counts (?all=true: everyone's, admins)",
        security,
        querystring: WebhooksQuery,
        response: { 200: WebhooksResponse, ...errorResponses },
      },
    },
    async (request) => ({
      webhooks: (await webhooks.list(principalOf(request), request.query.all === true)).map(
        toWebhookResponse,
      ),
    }),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      onRequest: signedIn,
      schema: {
        tags,
        summary: "An endpoint's recent deliveries, newest first",
        security,
        params: WebhookParams,
        response: { 200: DeliveriesResponse, ...errorResponses },
      },
    },
    async (request) => ({
      deliveries: (await webhooks.deliveries(principalOf(request), request.params.id)).map((d) => ({
        id: d.id,
        event_type: d.eventType,
        status: d.status,
        attempts: d.attempts,
        last_status_code: d.lastStatusCode ?? null,
        last_error: d.lastError ?? null,
        next_attempt_at: iso(d.nextAttemptAt),
        delivered_at: iso(d.deliveredAt),
        created_at: d.createdAt.toISOString(),
      })),
    }),
  );

  app.delete(
    '/webhooks/:id',
    {
      onRequest: signedIn,
      schema: {
        tags,
        summary: 'Remove a webhook endpoint and its deliveries',
        security,
        params: WebhookParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await webhooks.remove(principalOf(request), request.params.id, clientInfo(request));
      return sendEmpty(reply, 204);
    },
  );
}
