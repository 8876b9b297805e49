import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit-service.js';
import { actorOf } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import type { WebhookDeliveryRecord, WebhookEndpointRecord, WebhookStore } from '../storage/webhook-store.js';
import type { WebhookSecrets } from './webhook-secret.js';
import { newWebhookSecret } from './webhook-signature.js';
import { type HostResolver, parseWebhookUrl, resolveHost, resolveWebhookTarget } from './webhook-target.js';
import {
  isWebhookEvent,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookCaller,
  type WebhookDelivery,
  type WebhookEventType,
  type WebhookService,
} from './webhook-types.js';

/** Endpoints one owner may have (a soft cap: each one multiplies every event's deliveries). */
export const MAX_WEBHOOKS_PER_OWNER = 25;
/** Deliveries listed per endpoint, newest first. */
export const LISTED_DELIVERIES = 100;

export interface WebhookServiceDeps {
  readonly store: WebhookStore;
  readonly audit: AuditService;
  readonly secrets: WebhookSecrets;
  /** HUSH_WEBHOOK_ALLOW_PRIVATE: loopback and private targets, and http, allowed. */
  readonly allowPrivate: boolean;
  readonly resolve?: HostResolver;
  readonly now?: () => number;
}

const isAdmin = (by: WebhookCaller) => by.role === 'admin' && by.scopes.includes('admin');
const notFound = () => new HushError('not_found', 'No such webhook endpoint.');

function eventsOf(input: readonly string[] | undefined): WebhookEventType[] {
  if (input === undefined) return [...WEBHOOK_EVENTS];
  const unknown = input.find((type) => !isWebhookEvent(type));
  if (unknown !== undefined || input.length === 0) {
    throw new HushError(
      'invalid_webhook',
      `events must be a non-empty list of: ${WEBHOOK_EVENTS.join(', ')}.`,
    );
  }
  return WEBHOOK_EVENTS.filter((type) => input.includes(type));
}

function toDelivery(d: WebhookDeliveryRecord): WebhookDelivery {
  const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
  return {
    id: d.id,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: date(d.nextAttemptAt),
    deliveredAt: date(d.deliveredAt),
    createdAt: new Date(d.createdAt),
  };
}

export function createWebhookService(deps: WebhookServiceDeps): WebhookService {
  const { store, audit } = deps;
  const now = deps.now ?? Date.now;
  const counts = { pending: 0, delivered: 0, failed: 0 };
  const toWebhook = (e: WebhookEndpointRecord, deliveries = counts): Webhook => ({
    id: e.id,
    url: e.url,
    events: e.events.filter(isWebhookEvent),
    allAccounts: e.allAccounts,
    owner: e.owner,
    createdAt: new Date(e.createdAt),
    deliveries,
  });
  /** The endpoint if the caller owns it or is an admin; not_found otherwise. */
  const visible = async (by: WebhookCaller, id: string) => {
    const endpoint = await store.findEndpoint(id);
    if (!endpoint) throw notFound();
    const own = endpoint.owner.kind === by.kind && endpoint.owner.id === by.id;
    if (!own && !isAdmin(by)) throw notFound();
    return endpoint;
  };

  return {
    async create(by, input, client) {
      if (input.allAccounts && !isAdmin(by)) {
        throw new HushError('forbidden', 'Only admins may register an endpoint for every account.');
      }
      const events = eventsOf(input.events);
      const url = parseWebhookUrl(input.url, deps.allowPrivate);
      await resolveWebhookTarget(url, deps.allowPrivate, deps.resolve ?? resolveHost);
      const owner = { kind: by.kind, id: by.id };
      if ((await store.listEndpoints(owner)).length >= MAX_WEBHOOKS_PER_OWNER)
        throw new HushError('webhook_limit');
      const id = randomUUID();
      const secret = newWebhookSecret();
      const endpoint: WebhookEndpointRecord = {
        id,
        owner,
        url: url.href,
        events,
        allAccounts: input.allAccounts === true,
        sealedSecret: deps.secrets.seal(id, secret),
        createdAt: now(),
      };
      // The host only: a URL's path or query may carry a token of the receiver's.
      const created = audit.prepare({
        type: 'webhook.created',
        actor: actorOf(by),
        client,
        subject: { kind: 'webhook', id },
        data: { host: url.hostname, all_accounts: endpoint.allAccounts, events: events.join(',') },
      });
      await store.createEndpoint(endpoint, [created]);
      audit.stored([created]);
      return { ...toWebhook(endpoint), secret };
    },
    async list(by, all) {
      if (all && !isAdmin(by)) throw new HushError('forbidden', 'Only admins may list every endpoint.');
      const endpoints = await store.listEndpoints(all ? undefined : { kind: by.kind, id: by.id });
      const tally = await store.countDeliveries(endpoints.map((e) => e.id));
      return endpoints.map((e) => toWebhook(e, tally.get(e.id)));
    },
    async deliveries(by, id) {
      const endpoint = await visible(by, id);
      return (await store.listDeliveries(endpoint.id, LISTED_DELIVERIES)).map(toDelivery);
    },
    async remove(by, id, client) {
      const endpoint = await visible(by, id);
      const deleted = audit.prepare({
        type: 'webhook.deleted',
        actor: actorOf(by),
        client,
        subject: { kind: 'webhook', id: endpoint.id },
      });
      if (!(await store.deleteEndpoint(endpoint.id, [deleted]))) throw notFound();
      audit.stored([deleted]);
    },
  };
}
