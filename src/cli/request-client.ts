import { createRequestApi, type RequestApi } from '../client/request-api.js';
import { RequestCryptoError } from '../client/request-crypto.js';
import { ApiError } from '../client/share-api.js';
import { CliError, EXIT } from './cli-errors.js';
import { timedFetch } from './share-client.js';

/** What a 404 means for the request commands. */
export const REQUEST_GONE =
  'no such request: it was already answered or revealed, burned, or it expired (or the link is wrong)';

/** The request client with the CLI's time limit on each call. */
export function openRequestApi(base: string): RequestApi {
  return createRequestApi(base, timedFetch);
}

/** Runs `call`, wording what the request routes and the answer's crypto refuse. */
export async function requestCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RequestCryptoError) throw new CliError(EXIT.local, error.message);
    if (error instanceof ApiError && error.code === 'request_not_answered') {
      throw new CliError(EXIT.refused, 'nobody has answered this request yet: nothing was used up');
    }
    throw error;
  }
}
