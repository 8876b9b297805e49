import { describeAttemptRefusal } from '../client/attempt-refusal.js';
import { ClientCryptoError } from '../client/client-crypto.js';
import { ApiError } from '../client/share-api.js';
import { LinkError } from '../client/share-link.js';
import { humanDuration } from '../format/human-duration.js';

/** The exit codes of every `hush` client command (documented in `hush --help` and docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** The service refused: not found or gone, wrong passphrase, too large, rate limited, its own error. */
  refused: 1,
  /** Bad flags, a bad link, unusable input, no terminal to ask a passphrase on. */
  usage: 2,
  /** The server could not be reached or did not answer in time. */
  network: 3,
  /** A local file or stream failed, or the link's key does not open the secret. */
  local: 4,
  /** Ctrl-C at a passphrase prompt (as a shell reports SIGINT). */
  cancelled: 130,
} as const;

/** A failure with the exit code and the message the user sees (never a value, key or passphrase). */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface ErrorWording {
  /** What a 404 means for this command ("no such secret: …"). */
  readonly notFound?: string;
}

/** Maps what the client modules throw to an exit code and a message; anything else is unexpected. */
export function toCliError(error: unknown, wording: ErrorWording = {}): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof LinkError) return new CliError(EXIT.usage, error.message);
  if (error instanceof ClientCryptoError) return new CliError(EXIT.local, error.message);
  if (error instanceof ApiError) return fromApiError(error, wording);
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new CliError(EXIT.network, 'the server did not answer in time');
  }
  return new CliError(
    EXIT.refused,
    `unexpected error: ${(error as Error | undefined)?.message ?? String(error)}`,
  );
}

/** Server codes about a value the user gave with a flag. */
const FLAG_OF_CODE: Record<string, string> = { ttl_out_of_range: '--ttl', max_views_out_of_range: '--views' };
/** The request schema's own bounds answer bad_request naming the field (body/max_views). */
const FLAG_OF_FIELD = [
  // Before ttl_seconds, which it contains.
  ['max_ttl_seconds', '--max-ttl'],
  ['ttl_seconds', '--ttl'],
  ['max_views', '--views'],
] as const;

function fromApiError(error: ApiError, wording: ErrorWording): CliError {
  if (error.status === 0) return new CliError(EXIT.network, error.message);
  if (error.status === 502 || error.status === 503 || error.status === 504) {
    return new CliError(EXIT.network, `the server is unavailable (HTTP ${error.status}): ${error.message}`);
  }
  if (error.status === 404 && wording.notFound) return new CliError(EXIT.refused, wording.notFound);
  if (error.status === 413) {
    return new CliError(
      EXIT.refused,
      `too large for this server: ${error.message} (the limit applies to the encrypted text, about 4/3 of the input)`,
    );
  }
  const said = error.message.replace(/\.$/, '');
  const flag =
    FLAG_OF_CODE[error.code] ??
    (error.code === 'bad_request' ? FLAG_OF_FIELD.find(([field]) => said.includes(field))?.[1] : undefined);
  if (flag)
    return new CliError(EXIT.refused, `${flag} is outside what this server allows: ${inWords(flag, said)}`);
  // Wrong passphrase or link key, or the share burned at the limit: the same words as the page.
  const refusal = describeAttemptRefusal(error);
  if (refusal) return new CliError(refusal.badLink ? EXIT.usage : EXIT.refused, refusal.message);
  return new CliError(EXIT.refused, `${said} (${error.code})`);
}

/**
 * A duration flag's bounds in words: "between 60 (1 minute) and 2592000 (30 days)", or a server's
 * bare "between 60 and 2592000", reads "it must be between 1 minute and 30 days"; a schema's
 * "must be <= 31536000" reads "it must be at most 365 days".
 */
function inWords(flag: string, said: string): string {
  if (flag !== '--ttl' && flag !== '--max-ttl') return said;
  const range = /between (\d+)(?: \([^)]*\))? and (\d+)/.exec(said);
  if (range)
    return `it must be between ${humanDuration(Number(range[1]))} and ${humanDuration(Number(range[2]))}`;
  const bound = /must be ([<>])=? (\d+)/.exec(said);
  if (bound) return `it must be at ${bound[1] === '<' ? 'most' : 'least'} ${humanDuration(Number(bound[2]))}`;
  return said;
}
