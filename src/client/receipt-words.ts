import type { Receipt } from './share-api.js';

/**
 * A receipt in the sender's words, shared by the page's receipt view and `hush receipt`, so both
 * tell the same story: never event codes, never "consumed".
 */
const OPENED_WORDS = 'opened as many times as allowed';

/** How a share ended, in the sender's words; `end_reason` from the receipt API. */
const ENDINGS: Record<string, string> = {
  viewed: OPENED_WORDS,
  burned_by_sender: 'burned by the sender',
  burned: 'burned by someone with the link',
  expired: 'expired',
};

/**
 * The audit types of a share's timeline as sentences; DELETE is told by how the share ended.
 * LINK_KEY_FAILED is a reveal with a damaged link (the link-key check): it counts with the wrong
 * passphrases against one limit.
 */
const EVENTS: Record<string, string> = {
  CREATE: 'Created',
  READ: 'Opened',
  PASSPHRASE_FAILED: 'Wrong passphrase entered',
  LINK_KEY_FAILED: 'Tried with a damaged link (nothing was shown)',
  EXPIRE: 'Expired',
};

const times = (n: number) => (n === 1 ? '1 time' : `${n} times`);
const moreTimes = (n: number) => (n === 1 ? '1 more time' : `${n} more times`);
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const capital = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** The failed tries split by kind: the counter is one, the timeline tells which were damaged links. */
export function failedTries(receipt: Receipt): { passphrases: number; links: number } {
  const links = receipt.timeline.filter((event) => event.type === 'LINK_KEY_FAILED').length;
  return { passphrases: Math.max(receipt.failedPassphraseAttempts - links, 0), links };
}

/** What ended a share that reached the limit of failed tries. */
function limitEnding(receipt: Receipt): string {
  const { passphrases, links } = failedTries(receipt);
  if (links === 0) return 'burned after too many wrong passphrases';
  if (passphrases === 0) return 'burned after too many tries with a damaged link';
  return 'burned after too many wrong passphrases and damaged links';
}

/** For a record without an end reason (none is expected, but the words must not be empty). */
const BY_STATE: Record<string, string> = { consumed: OPENED_WORDS, burned: 'burned', expired: 'expired' };

function ending(receipt: Receipt): string {
  if (receipt.endReason === 'passphrase_attempts') return limitEnding(receipt);
  return (receipt.endReason && ENDINGS[receipt.endReason]) ?? BY_STATE[receipt.state] ?? receipt.state;
}

/** "Can still be opened 1 more time" while live; "Ended: burned by the sender" once over. */
export function describeStatus(receipt: Receipt): string {
  if (receipt.state === 'pending') return `Can still be opened ${moreTimes(receipt.viewsLeft)}`;
  const unopened = receipt.endReason === 'expired' && receipt.viewsUsed === 0 ? ' before it was opened' : '';
  return `Ended: ${ending(receipt)}${unopened}`;
}

export function describeViews(receipt: Receipt): string {
  return `Opened ${receipt.viewsUsed} of ${times(receipt.maxViews)}`;
}

/** Failed tries so far ("2 wrong passphrases and 1 damaged link"), or undefined when none. */
export function describeAttempts(receipt: Receipt): string | undefined {
  if (receipt.failedPassphraseAttempts === 0) return undefined;
  const { passphrases, links } = failedTries(receipt);
  const parts = [
    ...(passphrases > 0 ? [plural(passphrases, 'wrong passphrase')] : []),
    ...(links > 0 ? [plural(links, 'damaged link')] : []),
  ];
  return parts.join(' and ');
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
  // A share has one DELETE, the one that ended it: its end reason says who or what did it.
  if (type === 'DELETE') return receipt.endReason === 'viewed' ? 'Burned' : capital(ending(receipt));
  // A type this page does not know yet (a newer server) still reads as words, not as a code.
  return EVENTS[type] ?? capital(type.toLowerCase().replaceAll('_', ' '));
}
