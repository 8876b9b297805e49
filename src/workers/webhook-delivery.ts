import type { Logger } from 'pino';
import type { AuditService } from '../audit/audit-service.js';
import type { Subject } from '../audit/audit-types.js';
import type {
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
  WebhookOwner,
  WebhookStore,
} from '../storage/webhook-store.js';
import { deliveriesFor } from '../webhooks/webhook-payload.js';
import { attemptOutcome } from '../webhooks/webhook-retry.js';
import type { WebhookSecrets } from '../webhooks/webhook-secret.js';
import { type SendResult, sendWebhook, WEBHOOK_TIMEOUT_MS } from '../webhooks/webhook-sender.js';
import { signWebhook } from '../webhooks/webhook-signature.js';
import {
  type HostResolver,
  parseWebhookUrl,
  resolveHost,
  resolveWebhookTarget,
} from '../webhooks/webhook-target.js';
import { isWebhookEvent, type OwnerLookup } from '../webhooks/webhook-types.js';
import type { Job, JobTick } from './job-types.js';

/** The job's name, and so its lock: one node at a time reads the cursor and sends. */
export const WEBHOOK_LOCK = 'webhooks';
/** Audit events read per cursor step. */
const EVENT_PAGE = 500;
/** Cursor steps, and rounds of sends, per tick at most: the next tick goes on. */
const MAX_STEPS = 20;
/** Deliveries sent at once (each at most WEBHOOK_TIMEOUT_MS). */
const SEND_BATCH = 16;
/** A claim's lease: well past one attempt, resolution and connection included. */
const CLAIM_MS = 3 * WEBHOOK_TIMEOUT_MS;
/** Delivered and failed deliveries are listed this long, then purged. */
const KEEP_MS = 30 * 86_400_000;

/** An endpoint owner's standing now: an admin, another principal, or deleted. */
export type OwnerStanding = 'admin' | 'member' | 'gone';

export interface WebhookDeliveryDeps {
  readonly store: WebhookStore;
  readonly audit: Pick<AuditService, 'after'>;
  /** Owners of the events' shares and requests, for account endpoints. */
  readonly owners: OwnerLookup;
  /**
   * What an endpoint's owner is now: an endpoint of a principal that is gone receives nothing, and
   * an all-accounts one only while its owner is an admin (a demoted admin's reach ends with the
   * role). Without it every endpoint is taken as registered.
   */
  readonly standing?: (owner: WebhookOwner) => Promise<OwnerStanding>;
  readonly secrets: WebhookSecrets;
  readonly allowPrivate: boolean;
  readonly intervalMs: number;
  readonly logger?: Pick<Logger, 'warn'>;
  readonly resolve?: HostResolver;
  readonly send?: typeof sendWebhook;
  readonly now?: () => number;
}

export interface WebhookDeliveryResult {
  /** Deliveries created from the audit log. */
  readonly enqueued: number;
  /** Attempts made, and how many of them were delivered. */
  readonly attempted: number;
  readonly delivered: number;
}

/**
 * Webhook delivery: follows the audit log from its own cursor, turning each event into the
 * deliveries it owes (cursor and deliveries move in one store step), then sends the due ones, each
 * claimed with a lease so no two nodes send one at the same time, retrying with backoff for a day.
 * At least once: an attempt whose outcome is lost (a crash) is sent again, with the same webhook-id.
 */
export function createWebhookDeliveryJob(deps: WebhookDeliveryDeps): Job<WebhookDeliveryResult> {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const send = deps.send ?? sendWebhook;
  const resolve = deps.resolve ?? resolveHost;
  const going = async (tick: JobTick) => !tick.signal.aborted && (await tick.lease.renew());

  /** The endpoints whose owners may still receive what they registered for. */
  async function entitled(all: WebhookEndpointRecord[]): Promise<WebhookEndpointRecord[]> {
    const standing = deps.standing;
    if (standing === undefined) return all;
    const seen = new Map<string, Promise<OwnerStanding>>();
    const of = (owner: WebhookOwner) => {
      const key = `${owner.kind}:${owner.id}`;
      const known = seen.get(key);
      if (known !== undefined) return known;
      const found = standing(owner);
      seen.set(key, found);
      return found;
    };
    const kept = await Promise.all(
      all.map(async (endpoint) => {
        const now = await of(endpoint.owner);
        return now !== 'gone' && (!endpoint.allAccounts || now === 'admin');
      }),
    );
    return all.filter((_, i) => kept[i]);
  }

  /** Moves the cursor over new events; returns how many deliveries that made. */
  async function enqueue(tick: JobTick): Promise<number> {
    let made = 0;
    let endpoints: WebhookEndpointRecord[] | undefined;
    for (let step = 0; step < MAX_STEPS; step++) {
      const from = await store.readCursor();
      const page = await deps.audit.after(from, EVENT_PAGE);
      if (page.next <= from) break;
      const relevant = page.events.filter((e) => isWebhookEvent(e.type) && e.subject !== undefined);
      let deliveries: WebhookDeliveryRecord[] = [];
      if (relevant.length > 0) {
        endpoints ??= await entitled(await store.listEndpoints(undefined));
        const needOwners = endpoints.some((e) => !e.allAccounts);
        const subjects = relevant.map((e) => e.subject).filter((s): s is Subject => s !== undefined);
        const owners = needOwners ? await deps.owners(subjects) : new Map();
        deliveries = deliveriesFor(relevant, endpoints, owners, now());
      }
      if (!(await store.enqueue(from, page.next, deliveries))) break;
      made += deliveries.length;
      if (page.events.length < EVENT_PAGE || !(await going(tick))) break;
    }
    return made;
  }

  async function attempt(delivery: WebhookDeliveryRecord, endpoint: WebhookEndpointRecord | undefined) {
    const at = now();
    let result: SendResult;
    if (endpoint === undefined) result = { error: 'endpoint removed' };
    else {
      try {
        const url = parseWebhookUrl(endpoint.url, deps.allowPrivate);
        const target = await resolveWebhookTarget(url, deps.allowPrivate, resolve);
        const timestamp = Math.floor(Date.now() / 1000);
        const signature = signWebhook(
          deps.secrets.open(endpoint.id, endpoint.sealedSecret),
          delivery.id,
          timestamp,
          delivery.payload,
        );
        const headers = {
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature,
        };
        result = await send(target, headers, delivery.payload);
      } catch (error) {
        // A refused or unresolvable target: the error table's code, never the address.
        result = {
          error:
            (error as { code?: string }).code === 'webhook_target_refused' ? 'target refused' : 'not sent',
        };
      }
    }
    const outcome = attemptOutcome(delivery, result, now());
    if (
      delivery.leaseUntil === undefined ||
      !(await store.recordAttempt(delivery.id, delivery.leaseUntil, outcome))
    ) {
      deps.logger?.warn({ delivery: delivery.id, tookMs: now() - at }, 'webhook attempt outlived its claim');
    }
    return outcome.status === 'delivered';
  }

  /** Sends due deliveries in batches; returns attempts made and delivered. */
  async function sendDue(tick: JobTick) {
    let attempted = 0;
    let delivered = 0;
    const endpoints = new Map<string, WebhookEndpointRecord | undefined>();
    for (let round = 0; round < MAX_STEPS; round++) {
      const at = now();
      const claimed = await store.claimDue(at, at + CLAIM_MS, SEND_BATCH);
      for (const d of claimed) {
        if (!endpoints.has(d.endpointId)) endpoints.set(d.endpointId, await store.findEndpoint(d.endpointId));
      }
      const results = await Promise.all(claimed.map((d) => attempt(d, endpoints.get(d.endpointId))));
      attempted += results.length;
      delivered += results.filter(Boolean).length;
      if (claimed.length < SEND_BATCH || !(await going(tick))) break;
    }
    return { attempted, delivered };
  }

  return {
    name: WEBHOOK_LOCK,
    intervalMs: deps.intervalMs,
    leaseMs: 60_000,
    timeoutMs: 5 * 60_000,
    async run(tick) {
      const enqueued = await enqueue(tick);
      const sent = tick.signal.aborted ? { attempted: 0, delivered: 0 } : await sendDue(tick);
      if (!tick.signal.aborted) await store.purgeDeliveries(now() - KEEP_MS, EVENT_PAGE);
      return { enqueued, ...sent };
    },
    skipped: () => ({ enqueued: 0, attempted: 0, delivered: 0 }),
  };
}
