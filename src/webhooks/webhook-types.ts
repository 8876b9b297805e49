import type { Subject } from '../audit/audit-types.js';
import type { ClientInfo } from '../domain/client-info.js';
import type { Principal } from '../domain/principal.js';
import type { WebhookDeliveryCounts, WebhookDeliveryStatus, WebhookOwner } from '../storage/webhook-store.js';

/** The events webhooks deliver. */
export const WEBHOOK_EVENTS = ['share.viewed', 'share.burned', 'share.expired', 'request.answered'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const isWebhookEvent = (type: string): type is WebhookEventType =>
  (WEBHOOK_EVENTS as readonly string[]).includes(type);

/** An endpoint as its owner (or an admin) sees it: never its secret. */
export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly allAccounts: boolean;
  readonly owner: WebhookOwner;
  readonly createdAt: Date;
  readonly deliveries: WebhookDeliveryCounts;
}

/** A new endpoint: the only time its secret is shown. */
export interface NewWebhook extends Webhook {
  readonly secret: string;
}

export interface WebhookDelivery {
  /** The `webhook-id` header of every attempt. */
  readonly id: string;
  readonly eventType: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | undefined;
  readonly lastError: string | undefined;
  readonly nextAttemptAt: Date | undefined;
  readonly deliveredAt: Date | undefined;
  readonly createdAt: Date;
}

export interface WebhookInput {
  readonly url: string;
  /** Default: every one of WEBHOOK_EVENTS. */
  readonly events?: readonly string[] | undefined;
  /** Every account's events (admins only); default false, the caller's own shares and requests. */
  readonly allAccounts?: boolean | undefined;
}

/** Who calls: a signed-in account or machine. Admin powers need the admin role and scope. */
export type WebhookCaller = Pick<Principal, 'kind' | 'id' | 'name' | 'role' | 'scopes'>;

/**
 * Webhook endpoints of signed-in callers. An endpoint someone else owns is not_found (404) unless
 * the caller is an admin; bad input invalid_webhook or webhook_target_refused (400).
 */
export interface WebhookService {
  create(by: WebhookCaller, input: WebhookInput, client: ClientInfo): Promise<NewWebhook>;
  /** The caller's endpoints; every endpoint when `all` (admins only, else forbidden). */
  list(by: WebhookCaller, all: boolean): Promise<Webhook[]>;
  /** The endpoint's newest deliveries. */
  deliveries(by: WebhookCaller, id: string): Promise<WebhookDelivery[]>;
  remove(by: WebhookCaller, id: string, client: ClientInfo): Promise<void>;
}

/**
 * Who owns the subjects of events (shares, requests), by `subjectKey`; a subject without an owner
 * (anonymous) is absent. The share and request stores' `ownersOf` answer it.
 */
export type OwnerLookup = (subjects: readonly Subject[]) => Promise<ReadonlyMap<string, WebhookOwner>>;

export const subjectKey = (subject: Subject) => `${subject.kind}:${subject.id}`;
