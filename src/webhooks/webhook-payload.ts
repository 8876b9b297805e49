import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../audit/audit-types.js';
import type { WebhookDeliveryRecord, WebhookEndpointRecord, WebhookOwner } from '../storage/webhook-store.js';
import { isWebhookEvent, subjectKey } from './webhook-types.js';

/** A delivery's id, its `webhook-id`: random, as Standard Webhooks' `msg_…`. */
export const newDeliveryId = () => `msg_${randomUUID().replaceAll('-', '')}`;

/**
 * The body of an event's deliveries: `{type, timestamp, data: {share_id | request_id, reason?}}`.
 * Ids and the reason a share ended only: never content, keys, client addresses or names.
 */
export function webhookBody(event: AuditEvent): string | undefined {
  if (!isWebhookEvent(event.type) || event.subject === undefined) return undefined;
  const idField = event.subject.kind === 'request' ? 'request_id' : 'share_id';
  const reason = event.data.reason;
  const data = { [idField]: event.subject.id, ...(typeof reason === 'string' ? { reason } : {}) };
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data });
}

const sameOwner = (a: WebhookOwner | undefined, b: WebhookOwner) => a?.kind === b.kind && a.id === b.id;

/**
 * The deliveries `events` owe `endpoints`: an endpoint gets the event types it chose, from its
 * creation on, of every account when it is an all-accounts one, else of its owner's subjects.
 */
export function deliveriesFor(
  events: readonly AuditEvent[],
  endpoints: readonly WebhookEndpointRecord[],
  owners: ReadonlyMap<string, WebhookOwner>,
  now: number,
): WebhookDeliveryRecord[] {
  const deliveries: WebhookDeliveryRecord[] = [];
  for (const event of events) {
    const body = webhookBody(event);
    if (body === undefined || event.subject === undefined || event.seq === undefined) continue;
    const owner = owners.get(subjectKey(event.subject));
    for (const endpoint of endpoints) {
      if (!endpoint.events.includes(event.type)) continue;
      if (event.createdAt.getTime() < endpoint.createdAt) continue;
      if (!endpoint.allAccounts && !sameOwner(owner, endpoint.owner)) continue;
      deliveries.push({
        id: newDeliveryId(),
        endpointId: endpoint.id,
        eventId: event.id,
        eventSeq: event.seq,
        eventType: event.type,
        payload: body,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        leaseUntil: undefined,
        lastStatusCode: undefined,
        lastError: undefined,
        deliveredAt: undefined,
        createdAt: now,
      });
    }
  }
  return deliveries;
}
