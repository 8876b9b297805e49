import { ApiError } from './api-call.js';

/**
 * Plain words for the answers a reveal or burn gets about the link key and the passphrase, shared
 * by the page and the CLI so both say the same: what was (not) used up, how many wrong attempts
 * remain, and a clear warning before the last one. Undefined for any other error.
 */
export interface AttemptRefusal {
  readonly message: string;
  /** The share is gone (burned at the limit): retrying cannot help. */
  readonly final: boolean;
  /** The link itself is wrong: retrying the same link cannot help. */
  readonly badLink: boolean;
}

const LAST_WARNING = 'another wrong passphrase destroys the secret';

export function describeAttemptRefusal(error: unknown): AttemptRefusal | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const left = error.attemptsLeft;
  switch (error.code) {
    case 'passphrase_invalid':
      return {
        message:
          left === undefined
            ? 'wrong passphrase; nothing was used up: try again'
            : left === 1
              ? `wrong passphrase; nothing was used up. 1 attempt left: ${LAST_WARNING}`
              : `wrong passphrase; nothing was used up: ${left} attempts left`,
        final: false,
        badLink: false,
      };
    case 'link_key_invalid':
      return {
        message: `this link is damaged or incomplete: ask the sender for the whole link; nothing was used up${
          left === 1 ? ' (1 wrong attempt left before the secret is destroyed)' : ''
        }`,
        final: false,
        badLink: true,
      };
    case 'link_key_required':
      return {
        message:
          'this link is missing its key (the part after #): ask the sender for the whole link; nothing was used up',
        final: false,
        badLink: true,
      };
    case 'passphrase_attempts_exhausted':
      return {
        message:
          'too many wrong attempts: the secret was destroyed and cannot be opened any more; ask the sender to share it again',
        final: true,
        badLink: false,
      };
    default:
      return undefined;
  }
}
