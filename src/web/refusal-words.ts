import { describeAttemptRefusal } from '../client/attempt-refusal.js';
import { ApiError } from '../client/share-api.js';
import type { Words } from './i18n.js';

/**
 * The page's words for a reveal or burn refused over the link key or the passphrase: what was
 * (not) used up, how many wrong attempts remain, a warning before the last. The CLI says the same
 * in English (src/client/attempt-refusal.ts decides what is final and what a bad link is, for both).
 */
export interface RefusalWords {
  readonly words: Words;
  /** The share is gone (burned at the limit): retrying cannot help. */
  readonly final: boolean;
  /** The link itself is wrong: retrying the same link cannot help. */
  readonly badLink: boolean;
}

export function refusalWords(error: unknown): RefusalWords | undefined {
  const refusal = describeAttemptRefusal(error);
  if (!refusal || !(error instanceof ApiError)) return undefined;
  const left = error.attemptsLeft;
  const words = ((): Words => {
    switch (error.code) {
      case 'passphrase_invalid':
        if (left === undefined) return { key: 'refusal.passphrase' };
        if (left === 1) return { key: 'refusal.passphrase-last' };
        return { key: 'refusal.passphrase-left', values: { count: left } };
      case 'link_key_invalid':
        return { key: left === 1 ? 'refusal.link-damaged-last' : 'refusal.link-damaged' };
      case 'link_key_required':
        return { key: 'refusal.link-keyless' };
      default:
        return { key: 'refusal.exhausted' };
    }
  })();
  return { words, final: refusal.final, badLink: refusal.badLink };
}
