import { describe, expect, it } from 'vitest';
import type { WebhookDeliveryRecord } from '../storage/webhook-store.js';
import { attemptOutcome, RETRY_DELAYS_MS } from './webhook-retry.js';

const CREATED = 1_700_000_000_000;
const delivery = (attempts: number): WebhookDeliveryRecord => ({
  id: 'msg_1',
  endpointId: 'e',
  eventId: 'ev',
  eventSeq: 1,
  eventType: 'share.viewed',
  payload: '{}',
  status: 'pending',
  attempts,
  nextAttemptAt: CREATED,
  leaseUntil: CREATED + 30_000,
  lastStatusCode: undefined,
  lastError: undefined,
  deliveredAt: undefined,
  createdAt: CREATED,
});

describe('webhook retries', () => {
  it('delivers on any 2xx; retries anything else after 10 s, 1 m, 5 m, 30 m, 2 h, 6 h, 12 h; fails past 24 h', () => {
    expect(attemptOutcome(delivery(0), { statusCode: 204 }, CREATED)).toMatchObject({
      status: 'delivered',
      statusCode: 204,
    });
    expect(RETRY_DELAYS_MS.map((ms) => ms / 1000)).toEqual([10, 60, 300, 1800, 7200, 21600, 43200]);
    let now = CREATED;
    const waits: number[] = [];
    for (let attempts = 0; ; attempts++) {
      const outcome = attemptOutcome(
        delivery(attempts),
        attempts % 2 ? { error: 'timed out' } : { statusCode: 302 },
        now,
      );
      if (outcome.status === 'failed') {
        expect(outcome).toMatchObject({
          nextAttemptAt: undefined,
          error: attempts % 2 ? 'timed out' : 'HTTP 302',
        });
        break;
      }
      expect(outcome.status).toBe('pending');
      waits.push(((outcome.nextAttemptAt ?? 0) - now) / 1000);
      now = outcome.nextAttemptAt ?? 0;
    }
    // Eight attempts in all, the last about 20.6 h after the event: a ninth would come after 24 h.
    expect(waits).toEqual([10, 60, 300, 1800, 7200, 21600, 43200]);
    expect((now - CREATED) / 3_600_000).toBeCloseTo(20.6, 1);
  });
});
