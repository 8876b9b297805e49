import type { AuditEvent } from '../audit/audit-types.js';

/** Who registered an endpoint: an account or a machine identity. */
export interface WebhookOwner {
  readonly kind: 'user' | 'machine';
  readonly id: string;
}

/** An endpoint as stored; the secret only sealed (see webhook-secret.ts). Times epoch ms. */
export interface WebhookEndpointRecord {
  readonly id: string;
  readonly owner: WebhookOwner;
  readonly url: string;
  readonly events: readonly string[];
  /** Receives every account's events, not only its owner's (admins only). */
  readonly allAccounts: boolean;
  readonly sealedSecret: Buffer;
  readonly createdAt: number;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event owed to one endpoint. Its id is the `webhook-id` header of every attempt. */
export interface WebhookDeliveryRecord {
  readonly id: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly eventSeq: number;
  readonly eventType: string;
  /** The JSON body, the same on every attempt. */
  readonly payload: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number | undefined;
  /** The claim that holds it (claimDue): the time its lease ends; undefined when nobody holds it. */
  readonly leaseUntil: number | undefined;
  readonly lastStatusCode: number | undefined;
  readonly lastError: string | undefined;
  readonly deliveredAt: number | undefined;
  readonly createdAt: number;
}

/** What one attempt came to, for recordAttempt. */
export interface WebhookAttemptOutcome {
  readonly status: WebhookDeliveryStatus;
  /** When to try again (status pending); undefined otherwise. */
  readonly nextAttemptAt: number | undefined;
  readonly statusCode: number | undefined;
  readonly error: string | undefined;
  readonly at: number;
}

/** How many deliveries of an endpoint are in each status. */
export type WebhookDeliveryCounts = Readonly<Record<WebhookDeliveryStatus, number>>;

/**
 * Webhook endpoints, their deliveries and the delivery worker's audit cursor (SQL on every
 * backend; Redis mode uses the SQL backend's). Endpoint changes store their audit events in the
 * same atomic step.
 */
export interface WebhookStore {
  /** Stores a new endpoint and `events` in one atomic step. */
  createEndpoint(endpoint: WebhookEndpointRecord, events: readonly AuditEvent[]): Promise<void>;
  findEndpoint(id: string): Promise<WebhookEndpointRecord | undefined>;
  /** An owner's endpoints, or every endpoint when `owner` is undefined; oldest first. */
  listEndpoints(owner: WebhookOwner | undefined): Promise<WebhookEndpointRecord[]>;
  /** Deliveries per status of each of these endpoints (absent: none yet). */
  countDeliveries(endpointIds: readonly string[]): Promise<ReadonlyMap<string, WebhookDeliveryCounts>>;
  /**
   * Deletes the endpoint with its deliveries and stores `events`, in one atomic step; false (no
   * events) when there was none. A delivery a concurrent enqueue adds for it is never claimed.
   */
  deleteEndpoint(id: string, events: readonly AuditEvent[]): Promise<boolean>;
  /** The seq of the last audit event the deliveries were made for. */
  readCursor(): Promise<number>;
  /**
   * Stores `deliveries` (made for the events after `from`, up to `to`) and moves the cursor from
   * `from` to `to`, in one atomic step, only if the cursor is still at `from`: a compare-and-set.
   * Guarantee: under concurrent calls from any number of nodes with one `from`, exactly one lands
   * (true); the others store nothing (false). With the unique (endpoint, event) pair, no event is
   * enqueued twice for one endpoint, and none is skipped: the cursor passes an event only together
   * with its deliveries. A delivery for an endpoint deleted meanwhile is not stored.
   */
  enqueue(from: number, to: number, deliveries: readonly WebhookDeliveryRecord[]): Promise<boolean>;
  /**
   * Claims up to `limit` pending deliveries due at `now` (next_attempt_at <= now) that nobody holds
   * (no lease, or one ended by `now`), of endpoints that exist, oldest due first: each gets the
   * lease `leaseUntil` (> now). Guarantee: under concurrent calls from any number of nodes, a
   * delivery is returned to one caller per lease; another can claim it only once that lease has
   * ended without an outcome recorded, so two nodes never send one delivery at the same time.
   */
  claimDue(now: number, leaseUntil: number, limit: number): Promise<WebhookDeliveryRecord[]>;
  /**
   * Records one attempt's outcome (attempts + 1, the lease released) if the delivery is still held
   * by the claim whose lease was `leaseUntil`; false (nothing changed) when that lease was lost.
   */
  recordAttempt(id: string, leaseUntil: number, outcome: WebhookAttemptOutcome): Promise<boolean>;
  /** The endpoint's newest deliveries first. */
  listDeliveries(endpointId: string, limit: number): Promise<WebhookDeliveryRecord[]>;
  /**
   * Deletes up to `limit` delivered or failed deliveries created before `before`, and deliveries
   * whose endpoint is gone; returns how many. Concurrent calls never count one delivery twice.
   */
  purgeDeliveries(before: number, limit: number): Promise<number>;
}
