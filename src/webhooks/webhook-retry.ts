import type { WebhookAttemptOutcome, WebhookDeliveryRecord } from '../storage/webhook-store.js';
import type { SendResult } from './webhook-sender.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Waits after the 1st, 2nd, … failed attempt; the last repeats. */
export const RETRY_DELAYS_MS = [10 * SECOND, MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR, 12 * HOUR];
/** A delivery not delivered within this long of its creation fails for good. */
export const RETRY_WINDOW_MS = 24 * HOUR;

/** What an attempt of `delivery` (its `attempts` before this one) comes to at `now`. */
export function attemptOutcome(
  delivery: WebhookDeliveryRecord,
  result: SendResult,
  now: number,
): WebhookAttemptOutcome {
  const statusCode = 'statusCode' in result ? result.statusCode : undefined;
  if (statusCode !== undefined && statusCode >= 200 && statusCode < 300) {
    return { status: 'delivered', nextAttemptAt: undefined, statusCode, error: undefined, at: now };
  }
  const error = 'error' in result ? result.error : `HTTP ${statusCode}`;
  const delay = RETRY_DELAYS_MS[Math.min(delivery.attempts, RETRY_DELAYS_MS.length - 1)] ?? HOUR;
  const next = now + delay;
  return next - delivery.createdAt > RETRY_WINDOW_MS
    ? { status: 'failed', nextAttemptAt: undefined, statusCode, error, at: now }
    : { status: 'pending', nextAttemptAt: next, statusCode, error, at: now };
}
