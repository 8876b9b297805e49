import { failedTries } from '../client/receipt-words.js';
import type { Receipt } from '../client/share-api.js';
import type { MessageKey, Words } from './i18n.js';

/**
 * A receipt in the sender's words, in the page's language: the same story `hush receipt` tells
 * (src/client/receipt-words.ts, which also counts the failed tries for both), never event codes.
 */
const ENDINGS: Readonly<Record<string, MessageKey>> = {
  viewed: 'receipt.end-viewed',
  burned_by_sender: 'receipt.end-burned-by-sender',
  burned: 'receipt.end-burned-by-link',
  expired: 'receipt.end-expired',
};

/** For a record without an end reason (none is expected, but the words must not be empty). */
const BY_STATE: Readonly<Record<string, MessageKey>> = {
  consumed: 'receipt.end-viewed',
  burned: 'receipt.end-burned',
  expired: 'receipt.end-expired',
};

/** The audit types of a share's timeline; DELETE is told by how the share ended. */
const EVENTS: Readonly<Record<string, MessageKey>> = {
  CREATE: 'receipt.event-created',
  READ: 'receipt.event-opened',
  PASSPHRASE_FAILED: 'receipt.event-passphrase-failed',
  LINK_KEY_FAILED: 'receipt.event-link-key-failed',
  EXPIRE: 'receipt.event-expired',
};

function ending(receipt: Receipt): Words {
  if (receipt.endReason === 'passphrase_attempts') {
    const { passphrases, links } = failedTries(receipt);
    if (links === 0) return { key: 'receipt.end-limit-passphrases' };
    return { key: passphrases === 0 ? 'receipt.end-limit-links' : 'receipt.end-limit-both' };
  }
  const key = (receipt.endReason && ENDINGS[receipt.endReason]) ?? BY_STATE[receipt.state];
  return key ? { key } : { key: 'receipt.end-other', values: { state: receipt.state } };
}

/** "Can still be opened 1 more time" while live; "Ended: burned by the sender" once over. */
export function statusWords(receipt: Receipt): Words {
  if (receipt.state === 'pending') return { key: 'receipt.state-live', values: { count: receipt.viewsLeft } };
  const unopened = receipt.endReason === 'expired' && receipt.viewsUsed === 0;
  const end = unopened ? { key: 'receipt.end-expired-unopened' as const } : ending(receipt);
  return { key: 'receipt.state-ended', values: { ending: end } };
}

export function viewsWords(receipt: Receipt): Words {
  return { key: 'receipt.opened', values: { used: receipt.viewsUsed, count: receipt.maxViews } };
}

/** Failed tries so far ("2 wrong passphrases and 1 damaged link"), or undefined when none. */
export function attemptsWords(receipt: Receipt): Words | undefined {
  if (receipt.failedPassphraseAttempts === 0) return undefined;
  const { passphrases, links } = failedTries(receipt);
  const wrong: Words = { key: 'receipt.wrong-passphrases', values: { count: passphrases } };
  const damaged: Words = { key: 'receipt.damaged-links', values: { count: links } };
  if (links === 0) return wrong;
  if (passphrases === 0) return damaged;
  return { key: 'receipt.tries-both', values: { passphrases: wrong, links: damaged } };
}

export interface TimelineWords {
  readonly words: Words;
  readonly at: string;
}

/**
 * The timeline as sentences. A share past its expiry that the sweeper has not reached yet has no
 * EXPIRE event, but it has ended: that line is added at its end time.
 */
export function timelineWords(receipt: Receipt): TimelineWords[] {
  const entries = receipt.timeline.map((event) => ({ words: eventWords(event.type, receipt), at: event.at }));
  const expired = receipt.endReason === 'expired' && receipt.endedAt !== null;
  if (expired && !receipt.timeline.some((event) => event.type === 'EXPIRE')) {
    entries.push({ words: { key: 'receipt.event-expired' }, at: receipt.endedAt as string });
  }
  return entries;
}

function eventWords(type: string, receipt: Receipt): Words {
  // A share has one DELETE, the one that ended it: its end reason says who or what did it.
  if (type === 'DELETE') {
    return receipt.endReason === 'viewed'
      ? { key: 'receipt.event-burned' }
      : { ...ending(receipt), capital: true };
  }
  // A type this page does not know yet (a newer server) still reads as words, not as a bare code.
  const key = EVENTS[type];
  return key ? { key } : { key: 'receipt.event-other', values: { type } };
}
