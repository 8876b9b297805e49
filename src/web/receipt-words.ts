import type { Receipt } from '../client/share-api.js';

/** How a share ended, in the sender's words; `end_reason` from the receipt API. */
const ENDINGS: Record<string, string> = {
  viewed: 'opened as many times as allowed',
  burned_by_sender: 'burned by the sender',
  burned: 'burned by someone with the link',
  passphrase_attempts: 'burned after too many wrong passphrases',
  expired: 'expired',
};

/** The audit types of a share's timeline as sentences; DELETE is told by how the share ended. */
const EVENTS: Record<string, string> = {
  CREATE: 'Created',
  READ: 'Opened',
  PASSPHRASE_FAILED: 'Wrong passphrase entered',
  EXPIRE: 'Expired',
};

const times = (n: number) => (n === 1 ? '1 time' : `${n} times`);
const moreTimes = (n: number) => (n === 1 ? '1 more time' : `${n} more times`);
const capital = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** "Can still be opened 1 more time" while live; "Ended: burned by the sender" once over. */
export function describeStatus(receipt: Receipt): string {
  if (receipt.state === 'pending') return `Can still be opened ${moreTimes(receipt.viewsLeft)}`;
  const ending =
    (receipt.endReason && ENDINGS[receipt.endReason]) ??
    (receipt.state === 'consumed' ? ENDINGS.viewed : receipt.state);
  const unopened = receipt.endReason === 'expired' && receipt.viewsUsed === 0 ? ' before it was opened' : '';
  return `Ended: ${ending}${unopened}`;
}

export function describeViews(receipt: Receipt): string {
  return `Opened ${receipt.viewsUsed} of ${times(receipt.maxViews)}`;
}

/** Wrong passphrases so far, or undefined when there were none (the row is then left out). */
export function describeAttempts(receipt: Receipt): string | undefined {
  const n = receipt.failedPassphraseAttempts;
  return n > 0 ? `Entered wrong ${n === 1 ? 'once' : `${n} times`}` : undefined;
}

export interface TimelineEntry {
  readonly text: string;
  readonly at: string;
}

/**
 * The timeline as sentences. A share past its expiry that the sweeper has not reached yet has no
 * EXPIRE event, but it has ended: that line is added at its end time.
 */
export function describeTimeline(receipt: Receipt): TimelineEntry[] {
  const entries = receipt.timeline.map((event) => ({
    text: describeEvent(event.type, receipt),
    at: event.at,
  }));
  const expired = receipt.endReason === 'expired' && receipt.endedAt !== null;
  if (expired && !receipt.timeline.some((event) => event.type === 'EXPIRE')) {
    entries.push({ text: EVENTS.EXPIRE ?? 'Expired', at: receipt.endedAt as string });
  }
  return entries;
}

function describeEvent(type: string, receipt: Receipt): string {
  if (type === 'DELETE') {
    const ending = receipt.endReason && receipt.endReason !== 'viewed' && ENDINGS[receipt.endReason];
    return ending ? capital(ending) : 'Burned';
  }
  // A type this page does not know yet (a newer server) still reads as words, not as a code.
  return EVENTS[type] ?? capital(type.toLowerCase().replaceAll('_', ' '));
}
