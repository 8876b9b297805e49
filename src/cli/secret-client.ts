import { ApiError } from '../client/api-call.js';
import { createKvApi, type KvApi } from '../client/kv-api.js';
import { CliError, EXIT } from './cli-errors.js';
import type { CliIo } from './client-command.js';
import { type SignedIn, sessionFailure, signIn } from './saved-login.js';
import { DEFAULT_SERVER } from './share-client.js';

/** The --server line of the help of every command that signs in. */
export const SERVER_HELP = `  --server <url>   with HUSH_TOKEN, the server (default: HUSH_URL, else ${DEFAULT_SERVER});
                   a saved login goes only to its own server`;

/** What a secret command was doing, for the words of a refusal. */
export interface KvAttempt {
  readonly name: string;
  readonly version?: number | undefined;
  readonly cas?: number | undefined;
}

export interface KvClient {
  readonly kv: KvApi;
  readonly signedIn: SignedIn;
  /** The refusal of a KV call in words a person can act on (use in a .catch). */
  failure(attempt: KvAttempt): (error: unknown) => Promise<never>;
}

/** Signs in (saved login or HUSH_TOKEN) and opens the KV routes with that token. */
export async function openKv(io: CliIo, serverFlag: string | undefined): Promise<KvClient> {
  const signedIn = await signIn(io, serverFlag);
  return {
    kv: createKvApi(signedIn.call),
    signedIn,
    failure: (attempt) => (error) => Promise.reject(kvFailure(sessionFailure(error, signedIn), attempt)),
  };
}

/** The KV routes' refusals; anything not listed here goes on to cli-errors.ts as it came. */
export function kvFailure(error: unknown, { name, version, cas }: KvAttempt): unknown {
  if (!(error instanceof ApiError)) return error;
  const said = error.message.replace(/\.$/, '');
  const which = version === undefined ? `the current version of ${name}` : `version ${version} of ${name}`;
  switch (error.code) {
    case 'version_deleted':
      return new CliError(EXIT.refused, `${which} is deleted (hush secret undelete ${name} --versions N)`);
    case 'version_destroyed':
      return new CliError(EXIT.refused, `${which} is destroyed: its data is gone`);
    case 'route_not_found':
      return new CliError(
        EXIT.refused,
        'this server has no secret store API (/api/v1/kv): it may be an older hush',
      );
    case 'cas_mismatch':
      return new CliError(
        EXIT.refused,
        cas === undefined
          ? `${name} requires --cas <its current version> (see hush secret metadata ${name})`
          : `--cas ${cas} does not hold: ${cas === 0 ? `${name} exists` : `${name} is not at version ${cas}`}`,
      );
    case 'secret_too_large':
    case 'payload_too_large':
      return new CliError(EXIT.refused, `too large for this server: ${said}`);
    case 'invalid_secret':
      return new CliError(EXIT.refused, `the server refused it: ${said}`);
  }
  if (error.status === 404) {
    return new CliError(
      EXIT.refused,
      version === undefined ? `no such secret: ${name}` : `no such version: ${which}`,
    );
  }
  if (error.status === 403) return new CliError(EXIT.refused, `not allowed on ${name}: ${said}`);
  return error;
}
